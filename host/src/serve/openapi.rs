//! `GET /openapi.json`: the OpenAPI 3.1 document. Its paths come from the route declaration
//! itself (`super::api`), its schemas from the handlers' body and answer types; this module adds
//! what no route says: the title, the error schemas and the admin token's scheme.

use super::error::{ErrorBody, ErrorObject};
use crate::code::Code;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct AdminToken;

impl Modify for AdminToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "radius_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document without its paths.
#[derive(OpenApi)]
#[openapi(
    info(title = "matkhau", description = "Password policy and account rules for the BHXH portal."),
    components(schemas(ErrorBody, ErrorObject, Code)),
    modifiers(&AdminToken)
)]
pub(super) struct Base;
