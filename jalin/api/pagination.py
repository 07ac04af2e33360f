from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M` (at most 100 rows a page). A page past the end is a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
