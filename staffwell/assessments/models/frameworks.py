"""Frameworks: versioned data, never changed once loaded."""

from django.conf import settings
from django.db import models

from staffwell.organisations.models import Organisation


class FrameworkQuerySet(models.QuerySet):
    def available_to(self, org: Organisation) -> "FrameworkQuerySet":
        """Frameworks shipped with staffwell plus those this organisation loaded."""
        return self.filter(models.Q(organisation__isnull=True) | models.Q(organisation=org))


class Framework(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="frameworks",
        help_text="Empty for frameworks shipped with staffwell.",
    )
    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    source_filename = models.CharField(max_length=255, blank=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug", "version"], name="unique_framework_version"),
            models.UniqueConstraint(
                fields=["slug", "version"],
                condition=models.Q(organisation__isnull=True),
                name="unique_shipped_framework_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    @property
    def max_level(self) -> int:
        return max((level.value for level in self.levels.all()), default=0)


class RatingLevel(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=500)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "value"]
        constraints = [models.UniqueConstraint(fields=["framework", "value"], name="unique_level_value")]

    def __str__(self) -> str:
        return f"{self.value}. {self.label}"


class Element(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_element_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class SubElement(models.Model):
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="sub_elements")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["element__order", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Statement(models.Model):
    sub_element = models.ForeignKey(SubElement, on_delete=models.CASCADE, related_name="statements")
    code = models.CharField(max_length=30)
    text = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sub_element__element__order", "sub_element__order", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"
