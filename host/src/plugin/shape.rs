//! What a module imports and exports, read with `wasmparser` before anything is compiled, so a
//! plug-in with the wrong shape is refused in milliseconds with a message naming the problem.

use super::LoadError;
use wasmparser::{CompositeInnerType, ExternalKind, Parser, Payload, TypeRef, ValType};

/// The one import the host provides (ABI.md, "Imports").
pub const CLOCK_IMPORT: (&str, &str) = ("zxcvbn", "unix_time_milliseconds_imported");

/// Exports the ABI requires, with their signatures as (params, results).
pub const REQUIRED_EXPORTS: &[(&str, &[ValType], &[ValType])] = &[
    ("matkhau_abi_version", &[], &[ValType::I32]),
    ("matkhau_alloc", &[ValType::I32], &[ValType::I32]),
    ("matkhau_free", &[ValType::I32, ValType::I32], &[]),
    (
        "matkhau_call",
        &[ValType::I32, ValType::I32],
        &[ValType::I64],
    ),
    ("matkhau_init", &[], &[]),
];

/// One import or export, for `matkhau plugin inspect`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Item {
    /// `module.name` for imports, `name` for exports.
    pub name: String,
    /// func, memory, table, global or tag.
    pub kind: &'static str,
}

/// The imports and exports of a module.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Every import.
    pub imports: Vec<Item>,
    /// Every export.
    pub exports: Vec<Item>,
}

/// Reads the module's imports and exports and checks them against the ABI.
pub fn check(wasm: &[u8]) -> Result<Shape, LoadError> {
    let invalid = |e: wasmparser::BinaryReaderError| {
        LoadError::InvalidWasm(format!("not a WebAssembly module: {e}"))
    };
    let mut types: Vec<Option<(Vec<ValType>, Vec<ValType>)>> = Vec::new();
    let mut funcs: Vec<u32> = Vec::new(); // type index of every function, imports first
    let mut shape = Shape::default();
    let mut exports: Vec<(String, ExternalKind, u32)> = Vec::new();
    let mut has_memory = false;

    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(invalid)? {
            Payload::Version { encoding, .. } if encoding != wasmparser::Encoding::Module => {
                return Err(LoadError::InvalidWasm(
                    "a component, not a core WebAssembly module".into(),
                ));
            }
            Payload::TypeSection(reader) => {
                for group in reader {
                    for ty in group.map_err(invalid)?.into_types() {
                        types.push(match &ty.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                Some((f.params().to_vec(), f.results().to_vec()))
                            }
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(invalid)?;
                    let kind = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            funcs.push(t);
                            "func"
                        }
                        TypeRef::Memory(_) => "memory",
                        TypeRef::Table(_) => "table",
                        TypeRef::Global(_) => "global",
                        TypeRef::Tag(_) => "tag",
                    };
                    let name = format!("{}.{}", import.module, import.name);
                    let is_clock = (import.module, import.name) == CLOCK_IMPORT;
                    let clock_type_ok = match import.ty {
                        TypeRef::Func(t) => {
                            types.get(t as usize).cloned().flatten()
                                == Some((vec![], vec![ValType::I64]))
                        }
                        _ => false,
                    };
                    if !is_clock {
                        return Err(LoadError::Imports(format!(
                            "the plug-in imports {kind} `{name}`, which the host does not provide \
                                 (it provides only {}.{})",
                            CLOCK_IMPORT.0, CLOCK_IMPORT.1
                        )));
                    }
                    if !clock_type_ok {
                        return Err(LoadError::Imports(format!(
                            "the plug-in imports `{name}` with a type other than () -> i64"
                        )));
                    }
                    shape.imports.push(Item { name, kind });
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    funcs.push(t.map_err(invalid)?);
                }
            }
            Payload::MemorySection(reader) => has_memory |= reader.count() > 0,
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(invalid)?;
                    exports.push((export.name.to_string(), export.kind, export.index));
                }
            }
            _ => {}
        }
    }

    for (name, kind, _) in &exports {
        shape.exports.push(Item {
            name: name.clone(),
            kind: match kind {
                ExternalKind::Func | ExternalKind::FuncExact => "func",
                ExternalKind::Memory => "memory",
                ExternalKind::Table => "table",
                ExternalKind::Global => "global",
                ExternalKind::Tag => "tag",
            },
        });
    }
    if !has_memory
        || !exports
            .iter()
            .any(|(n, k, _)| n == "memory" && *k == ExternalKind::Memory)
    {
        return Err(LoadError::Exports(
            "the plug-in does not define and export its memory as `memory`".into(),
        ));
    }
    for (name, params, results) in REQUIRED_EXPORTS {
        let found = exports.iter().find(|(n, k, _)| {
            n == name && matches!(k, ExternalKind::Func | ExternalKind::FuncExact)
        });
        let Some((_, _, index)) = found else {
            return Err(LoadError::Exports(format!(
                "the plug-in does not export the function `{name}`"
            )));
        };
        let sig = funcs
            .get(*index as usize)
            .and_then(|t| types.get(*t as usize).cloned().flatten());
        if sig.as_ref().map(|(p, r)| (p.as_slice(), r.as_slice())) != Some((params, results)) {
            return Err(LoadError::Exports(format!("the plug-in's `{name}` does not have the ABI's signature {params:?} -> {results:?}")));
        }
    }
    Ok(shape)
}
