//! Enums written as fixed text: in JSON answers, in the database, in metrics labels and in the
//! OpenAPI document, each variant spelled once.

/// A text that names no variant of the enum it was read as (a damaged row, a client's typo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The enum's name.
    pub what: &'static str,
}

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a known {}", self.what)
    }
}

impl std::error::Error for Unknown {}

/// Declares `pub enum Name { Variant = "text", … }` with `as_str`, `ALL`, `FromStr`, `Display`,
/// serde (as the text) and an OpenAPI schema (a string enum of the texts).
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
            utoipa::ToSchema,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )*
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The text this variant is written as.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::text_enum::Unknown;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or($crate::text_enum::Unknown { what: stringify!($name) })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;
