from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenOrBearerScheme(OpenApiAuthenticationExtension):
    target_class = "jalin.api.authentication.TokenOrBearerAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>` or `Bearer <key>`; create a key with `manage.py create_api_token USERNAME`.",
        }
