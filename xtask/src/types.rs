//! The type model: every named type the generated code declares, built from the spec's
//! schemas. `allOf` is flattened into one struct, inline objects and enums get names from
//! where they appear, `oneOf`/`anyOf` become unions.

mod schema;

use crate::naming::type_ident;
use crate::spec::{entries, flag, ref_name};
pub use schema::description;
use std::collections::{BTreeSet, HashMap};
use yaml_rust2::Yaml;

/// A field or value type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Str,
    /// `type: string, format: binary`: raw bytes (form file parts).
    Bytes,
    I32,
    I64,
    F64,
    Bool,
    /// Any JSON value.
    Any,
    Vec(Box<Ty>),
    /// A JSON object with arbitrary keys.
    Map(Box<Ty>),
    Named(String),
}

impl Ty {
    /// Whether the type, or anything inside it, is free-form (needs a TS override).
    pub fn needs_ts_override(&self) -> bool {
        match self {
            Ty::Any | Ty::Map(_) | Ty::Bytes => true,
            Ty::Vec(inner) => inner.needs_ts_override(),
            _ => false,
        }
    }
}

/// One struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The JSON name.
    pub json: String,
    /// The Rust name.
    pub ident: String,
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub doc: Vec<String>,
    pub deprecated: bool,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub ident: String,
    /// The discriminator value, for tagged unions.
    pub tag_value: Option<String>,
    pub ty: Ty,
}

/// What a named type is.
#[derive(Debug, Clone)]
pub enum Kind {
    Struct(Vec<Field>),
    /// A string enum that still decodes values added later.
    Enum(Vec<String>),
    /// `oneOf`/`anyOf`: tagged by `tag` when the spec gives a discriminator that the
    /// variants do not declare themselves, else untagged.
    Union {
        tag: Option<String>,
        variants: Vec<UnionVariant>,
    },
    Alias(Ty),
}

/// Which generated file a type goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Models,
    Params,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Vec<String>,
    pub deprecated: bool,
    pub kind: Kind,
    pub module: Module,
    /// Where the schema came from, to tell a reuse from a name clash.
    origin: String,
}

/// Names the generated files use for other things; a schema with one of them is renamed.
const RESERVED: &[&str] = &[
    "Option",
    "Vec",
    "String",
    "Box",
    "BTreeMap",
    "Value",
    "Serialize",
    "Deserialize",
    "Result",
    "Error",
    "NeonClient",
    "CallOptions",
    "Tsify",
];

/// Builds and holds every named type, in a stable order.
pub struct Types<'a> {
    pub root: &'a Yaml,
    pub defs: Vec<TypeDef>,
    index: HashMap<String, usize>,
    /// Spec schema name -> type name.
    schema_names: HashMap<String, String>,
}

impl<'a> Types<'a> {
    /// Declares every component schema, in spec order.
    pub fn from_components(root: &'a Yaml) -> Result<Self, String> {
        let mut types = Types {
            root,
            defs: Vec::new(),
            index: HashMap::new(),
            schema_names: HashMap::new(),
        };
        let schemas = entries(&root["components"]["schemas"]);
        let mut taken = BTreeSet::new();
        for (name, _) in &schemas {
            let mut ident = type_ident(name);
            if RESERVED.contains(&ident.as_str()) {
                ident.push_str("Schema");
            }
            if !taken.insert(ident.clone()) {
                return Err(format!(
                    "schemas `{name}` and another both map to the type name `{ident}`"
                ));
            }
            types.schema_names.insert(name.clone(), ident);
        }
        for (name, schema) in schemas {
            let ident = types.schema_names[&name].clone();
            let origin = format!("#/components/schemas/{name}");
            types.declare(&ident, &origin, schema, Module::Models)?;
        }
        Ok(types)
    }

    /// The type name of a component schema reference.
    pub fn named_ref(&self, reference: &str) -> Result<Ty, String> {
        let name = ref_name(reference);
        if !reference.starts_with("#/components/schemas/") {
            return Err(format!("`{reference}` is not a schema reference"));
        }
        self.schema_names
            .get(name)
            .map(|n| Ty::Named(n.clone()))
            .ok_or_else(|| format!("unknown schema `{reference}`"))
    }

    /// Looks up a declared type.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.index.get(name).map(|&i| &self.defs[i])
    }

    /// Whether a name is free for a new type.
    pub fn is_free(&self, name: &str) -> bool {
        !self.index.contains_key(name) && !RESERVED.contains(&name)
    }

    /// Declares `schema` under `name` (reusing it when the same schema was declared before)
    /// and returns the name actually used.
    pub fn declare(
        &mut self,
        name: &str,
        origin: &str,
        schema: &Yaml,
        module: Module,
    ) -> Result<String, String> {
        let base = name;
        let mut name = base.to_owned();
        let mut n = 2;
        while let Some(&i) = self.index.get(&name) {
            if self.defs[i].origin == origin {
                return Ok(name);
            }
            name = format!("{base}{n}");
            n += 1;
        }
        // Reserve the slot first so the parent precedes the types named after its fields.
        let slot = self.defs.len();
        self.index.insert(name.clone(), slot);
        self.defs.push(TypeDef {
            name: name.clone(),
            doc: description(schema),
            deprecated: flag(&schema["deprecated"]),
            kind: Kind::Alias(Ty::Any),
            module,
            origin: origin.to_owned(),
        });
        let kind = self.kind_of(&name, schema, module)?;
        self.defs[slot].kind = kind;
        Ok(name)
    }

    /// Declares a type built by the generator rather than read from one schema.
    pub fn push_def(&mut self, name: &str, doc: Vec<String>, kind: Kind, module: Module) {
        self.index.insert(name.to_owned(), self.defs.len());
        self.defs.push(TypeDef {
            name: name.to_owned(),
            doc,
            deprecated: false,
            kind,
            module,
            origin: format!("generated:{name}"),
        });
    }

    /// Whether a value of `ty` holds a `target` inline (not behind a `Vec` or map), so a
    /// field of that type inside `target` would make it infinitely large.
    pub fn reaches(&self, ty: &Ty, target: &str) -> bool {
        self.reaches_inner(ty, target, &mut Vec::new())
    }

    fn reaches_inner(&self, ty: &Ty, target: &str, seen: &mut Vec<String>) -> bool {
        let Ty::Named(name) = ty else { return false };
        if name == target {
            return true;
        }
        if seen.contains(name) {
            return false;
        }
        seen.push(name.clone());
        match self.get(name).map(|d| &d.kind) {
            Some(Kind::Struct(fields)) => fields
                .iter()
                .any(|f| self.reaches_inner(&f.ty, target, seen)),
            Some(Kind::Alias(inner)) => self.reaches_inner(inner, target, seen),
            Some(Kind::Union { variants, .. }) => variants
                .iter()
                .any(|v| self.reaches_inner(&v.ty, target, seen)),
            _ => false,
        }
    }

    /// Whether values of `ty` have a natural `Default` (so structs holding them can derive it).
    pub fn defaultable(&self, ty: &Ty) -> bool {
        self.defaultable_inner(ty, &mut Vec::new())
    }

    fn defaultable_inner(&self, ty: &Ty, seen: &mut Vec<String>) -> bool {
        match ty {
            Ty::Named(name) => {
                if seen.contains(name) {
                    return true;
                }
                seen.push(name.clone());
                let Some(def) = self.get(name) else {
                    return false;
                };
                match &def.kind {
                    Kind::Struct(fields) => fields
                        .iter()
                        .all(|f| !f.required || f.nullable || self.defaultable_inner(&f.ty, seen)),
                    Kind::Alias(inner) => self.defaultable_inner(inner, seen),
                    // An open enum defaults to its catch-all with an empty value.
                    Kind::Enum(_) => true,
                    Kind::Union { .. } => false,
                }
            }
            _ => true,
        }
    }
}
