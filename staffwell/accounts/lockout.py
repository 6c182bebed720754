def username(request, credentials: dict | None) -> str | None:
    """The account a sign-in attempt is for, as django-axes counts failures.

    Lower-cased, because sign-in ignores the case of the email address: otherwise
    "STAFF@..." and "staff@..." would count as different accounts and dodge the lockout.
    """
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else None
