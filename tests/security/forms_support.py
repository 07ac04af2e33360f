"""Read the forms of a page as a browser would: their action, method and the values a
browser would submit unchanged (html.parser, no browser needed)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    multipart: bool = False

    def data(self) -> dict:
        """What submitting the form untouched sends ({name: value or [values]})."""
        data: dict = {}
        for f in self.fields:
            if f.kind in ("submit", "button", "image", "reset", "file"):
                continue
            if f.kind in ("checkbox", "radio") and not f.checked:
                continue
            values = f.selected if f.kind.startswith("select") else [f.value]
            if f.kind == "select" and not values and f.options:
                values = [f.options[0]]
            for value in values:
                data.setdefault(f.name, []).append(value)
        return data


class _Parser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: str | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(
                action=a.get("action") or self.page_path,
                method=(a.get("method") or "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self.form)
        elif self.form is None or ("name" not in a and tag in ("input", "select", "textarea")):
            return
        elif tag == "input":
            self.form.fields.append(
                Field(a["name"], a.get("type", "text").lower(), a.get("value", ""), checked="checked" in a)
            )
        elif tag == "select":
            self.select = Field(a["name"], "select-multiple" if "multiple" in a else "select")
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = a.get("value")
            if self.option is not None:
                self.select.options.append(self.option)
                if "selected" in a:
                    self.select.selected.append(self.option)
        elif tag == "textarea":
            self.textarea = Field(a["name"], "textarea")
            self.form.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_of(html: str, page_path: str) -> list[Form]:
    parser = _Parser(page_path)
    parser.feed(html)
    return parser.forms
