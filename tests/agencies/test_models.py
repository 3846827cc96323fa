import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.agencies.models import Agency
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_abbreviations_are_unique_whatever_their_case():
    AgencyFactory(abbreviation="MIIT", slug="miit")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(abbreviation="miit", slug="miit-2")


def test_duplicate_abbreviation_is_a_clear_validation_error():
    AgencyFactory(abbreviation="NDRC", slug="ndrc")
    agency = Agency(abbreviation="Ndrc", slug="ndrc-2")
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert "An agency with this abbreviation already exists." in error.value.messages


def test_agency_is_found_by_its_abbreviation_in_any_case():
    agency = AgencyFactory(abbreviation="State Council", slug="state-council")
    assert Agency.objects.get_by_natural_key("state council") == agency
