from django.conf import settings
from django_tasks import task

from staffwell.organisations import imports
from staffwell.organisations.models import StaffImport


@task()
def run_staff_import(import_id: int) -> None:
    staff_import = StaffImport.objects.select_related("organisation", "uploaded_by").get(pk=import_id)
    imports.run(staff_import, max_bytes=settings.STAFFWELL_IMPORT_MAX_BYTES)
