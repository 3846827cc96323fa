import pytest
from django.core.exceptions import ValidationError

from apps.people.models import Person


def test_photo_needs_alt_text():
    person = Person(name="Rebecca Arcesati", slug="rebecca-arcesati", photo="people/r.jpg")
    with pytest.raises(ValidationError) as error:
        person.clean()
    assert "photo_alt" in error.value.message_dict
