"""Input that the database cannot hold becomes a form error, never a server error: one
hardening of Django's form fields and DRF's serializer fields, installed once at start-up
(`install()`, from jalin/lib/apps.py) so that every form and serializer — Jalin's, the
Django admin's, the API's — gets it without restating it:

- an integer field without a bound is bounded to the range of a database integer column
  (`99999999999999999999` used to reach the driver and fail there with an overflow);
- a model-choice field (a select of partners, affairs, agencies...) and a DRF primary-key
  field refuse an id no row can have (not a positive bigint) as an invalid choice;
- a date field refuses years outside 1900–2999 (9999-12-31 plus a term overflowed);
- every text field refuses control characters other than tab, newline and carriage return
  (`jalin.lib.text.refuse_control_characters`), with a translated message.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from rest_framework import fields as drf_fields
from rest_framework import relations as drf_relations

from jalin.lib.text import refuse_control_characters

INT_MAX = 2**31 - 1  # a PostgreSQL integer column
ID_MAX = 2**63 - 1  # a bigint id
FIRST_YEAR, LAST_YEAR = 1900, 2999  # dates of a register; room for date arithmetic (+ years) beyond


def refuse_unlikely_date(value) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="date_range",
        )


def valid_id(value) -> bool:
    text = str(value).strip()
    return text.isdigit() and 0 < int(text) <= ID_MAX


def _integer_pk(field) -> bool:
    pk = field.queryset.model._meta.pk if field.queryset is not None else None
    return field.to_field_name is None and pk is not None and pk.get_internal_type().endswith("AutoField")


def harden_form(form) -> None:
    """Bound the form's integer fields and refuse control characters in its text fields."""
    for field in form.fields.values():
        if getattr(field, "_jalin_hardened", False):
            continue
        field._jalin_hardened = True
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField | forms.DecimalField):
            if field.max_value is None:
                field.max_value = INT_MAX
                field.validators.append(MaxValueValidator(INT_MAX))
            if field.min_value is None:
                field.min_value = -INT_MAX - 1
                field.validators.append(MinValueValidator(-INT_MAX - 1))
        elif isinstance(field, forms.CharField):
            field.validators.append(refuse_control_characters)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(refuse_unlikely_date)


def _install_forms() -> None:
    full_clean = forms.BaseForm.full_clean

    def hardened_full_clean(self):
        harden_form(self)  # here, not in __init__: forms add fields in their own __init__
        return full_clean(self)

    forms.BaseForm.full_clean = hardened_full_clean

    to_python = forms.ModelChoiceField.to_python

    def model_choice_to_python(self, value):
        if value not in self.empty_values and _integer_pk(self) and not valid_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return to_python(self, value)

    forms.ModelChoiceField.to_python = model_choice_to_python

    check_values = forms.ModelMultipleChoiceField._check_values

    def model_multiple_check_values(self, value):
        if _integer_pk(self):
            for item in value:
                if not valid_id(item):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return check_values(self, value)

    forms.ModelMultipleChoiceField._check_values = model_multiple_check_values


def _install_serializers() -> None:
    char_to_internal = drf_fields.CharField.to_internal_value

    def char_to_internal_value(self, data):
        value = char_to_internal(self, data)
        try:
            refuse_control_characters(value)
        except ValidationError as error:
            raise drf_fields.ValidationError(error.messages) from None
        return value

    drf_fields.CharField.to_internal_value = char_to_internal_value

    integer_to_internal = drf_fields.IntegerField.to_internal_value

    def integer_to_internal_value(self, data):
        value = integer_to_internal(self, data)
        if (self.max_value is None and value > INT_MAX) or (self.min_value is None and value < -INT_MAX - 1):
            self.fail("max_value" if value > 0 else "min_value", max_value=INT_MAX, min_value=-INT_MAX - 1)
        return value

    drf_fields.IntegerField.to_internal_value = integer_to_internal_value

    date_to_internal = drf_fields.DateField.to_internal_value

    def date_to_internal_value(self, data):
        value = date_to_internal(self, data)
        try:
            refuse_unlikely_date(value)
        except ValidationError as error:
            raise drf_fields.ValidationError(error.messages) from None
        return value

    drf_fields.DateField.to_internal_value = date_to_internal_value

    pk_to_internal = drf_relations.PrimaryKeyRelatedField.to_internal_value

    def pk_to_internal_value(self, data):
        if self.pk_field is None and not isinstance(data, bool) and not valid_id(data):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return pk_to_internal(self, data)

    drf_relations.PrimaryKeyRelatedField.to_internal_value = pk_to_internal_value


_installed = False


def install() -> None:
    global _installed
    if not _installed:
        _installed = True
        _install_forms()
        _install_serializers()
