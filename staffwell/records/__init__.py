"""Shared machinery for staff-owned records (check-ins, wellbeing plans, conversations,
passports). The full guide is docs/staff-owned-records.md; the API in brief:

Encryption at rest (``staffwell.core.fields``)
    ``EncryptedTextField`` and ``EncryptedJSONField``: drop-in model fields that store a token
    from ``staffwell.core.crypto`` (the one encryption module), never the content. Keys: ``settings.STAFFWELL_ENCRYPTION_KEYS`` (first encrypts,
    all decrypt). ``manage.py rotate_encryption_keys`` re-encrypts every such field in every
    model, and every sealed store in ``crypto.SEALED``, with the current key; ``manage.py generate_encryption_key`` makes a key. Encrypted
    fields cannot be filtered on. A model's ``__str__`` must not contain content (it is
    copied into the audit log as the object label): use "Wellbeing plan 12".

Registering a record kind (``staffwell.records.registry``), in your ``AppConfig.ready()``
    register_kind(Kind(key="passport", model=Passport, noun="reasonable adjustments passport",
                       sections=lambda obj: [("adjustments", "Adjustments agreed"), ...],
                       describe=lambda obj: "Reasonable adjustments passport",
                       detail_url=lambda obj: reverse(...), shared_url=lambda obj: reverse(...)))
    ``describe`` reads plain columns only (kind, dates): it becomes the grant's stored label
    and the audit log's "what", and grantees see it. A richer title for the owner's own pages
    (decrypted at display time) is ``owner_title=``. Sharing with a line manager lapses, for
    every kind, when they stop managing the owner.
    The model needs an ``owner`` FK to the user (or pass ``owner_field=``). ``key`` is a slug:
    it names the audit action ``records.<key>.viewed`` and the sharing page URL.

    register_owner_data(OwnerData(key="passports", title="My passports",
                                  export=lambda user: {...JSON-able...},
                                  erase=lambda user: <number of rows deleted>))
    ``erase`` must delete every row holding that person's content (use
    ``Model.objects.filter(owner=user).delete()``); grants and access-log entries are
    removed by the records app itself.

Access (``staffwell.records.access``): the only way views fetch a record
    owned_or_404(Model.objects.all(), user=request.user, pk=pk)      # the owner's own pages
    shared = shared_or_404("passport", viewer=request.user, pk=pk)   # anyone else
        -> SharedRecord(obj, owner, grants, sections); 404 without a live grant;
           the read is audited as records.<kind>.viewed with owner= (the owner's access log).
        shared.can_see("adjustments")  -> only render sections the owner shared
        (shared.sections is None when the whole record is shared)
    live_grants(obj, viewer) -> list of live grants (no audit), e.g. to list what's shared.

Consent (``staffwell.records.services`` and ``models.Grant``)
    Link the owner to ``url("records:share", kind="passport", record_id=obj.pk)``: a generic
    page where they choose a section (or all) and a person (their line managers, their
    organisation's staff-side reps, or a colleague by email). Withdrawal is
    ``records:withdraw`` and takes effect at once. In code:
    ``services.grant(owner=, candidate=, obj=, kind_key=, section=)``, ``services.withdraw(owner=, grant=)``,
    ``services.withdraw_all_for(obj, owner=)`` (call before deleting a record),
    ``Grant.objects.live().granted_to(user).filter(kind="passport")`` ("shared with me").

Owner pages (this app): ``my/access-log/``, ``my/sharing/``, ``my/data/`` (export JSON and
PDF of every registered app, erase everything with confirmation; erasure is audited as
``records.erasure.completed`` with counts only).
"""
