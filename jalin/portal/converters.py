from django.urls import register_converter


class IdConverter:
    """A database id in a URL: 1 to 18 digits, so that an absurd number is a 404, not an
    integer overflow in the database driver."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
