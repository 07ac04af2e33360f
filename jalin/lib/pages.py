"""The page every generated document is printed on: A4 with the margins of the Indonesian
government's tata naskah dinas (Permenpan-RB 80/2012: top at least 2 cm, bottom 2.5 cm,
left 3 cm for the binding, right 2 cm), for DOCX (python-docx) and PDF (CSS @page)."""

A4_MM = (210, 297)
A4_TWIPS = (11906, 16838)  # what Word writes for A4 in w:pgSz
MARGINS_MM = {"top": 20, "right": 20, "bottom": 25, "left": 30}

# The @page rule of the PDF documents (WeasyPrint).
PDF_PAGE_CSS = "size: A4; margin: {top}mm {right}mm {bottom}mm {left}mm;".format(**MARGINS_MM)


def docx_a4(document) -> None:
    """Every section A4 (landscape sections stay landscape) with the government margins."""
    from docx.shared import Mm, Twips

    width, height = (Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1]))
    for section in document.sections:
        landscape = (section.page_width or 0) > (section.page_height or 0)
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)


def docx_keep_rows(table, *, header_rows: int = 1) -> None:
    """No row of the table splits across pages (w:cantSplit); the header rows repeat on every
    page (w:tblHeader)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        flags = ["w:cantSplit"] + (["w:tblHeader"] if index < header_rows else [])
        for flag in flags:
            if properties.find(qn(flag)) is None:
                properties.append(OxmlElement(flag))
