//! Writes `typescript.rs`: the TypeScript signatures of the JS `NeonClient` methods, which the
//! bindings install at run time from the operation table.

use crate::emit_types::ts_ty;
use crate::naming::jsdoc_safe;
use crate::operations::{BodyMedia, Op, Response};

/// The TypeScript return type of an operation.
pub fn ts_return(response: &Response) -> String {
    match response {
        Response::Json(ty) => ts_ty(ty),
        Response::MaybeJson(ty) => format!("{} | undefined", ts_ty(ty)),
        Response::Empty => "void".into(),
        Response::Bytes => "Uint8Array".into(),
    }
}

/// Whether `ifExists: "return"` can answer for `op`: a `POST` with a JSON body, which a 409
/// "already exists" turns into the resource its body names (src/management/if_exists.rs),
/// answering with a JSON object that can hold it. Whether the body names one is left to the
/// `NeonCreated` type.
fn may_find_existing(op: &Op) -> bool {
    op.method == "post"
        && op.body.is_some()
        && matches!(op.body_media, BodyMedia::Json)
        && matches!(op.response, Response::Json(_) | Response::MaybeJson(_))
}

/// The `NeonClientMethods` interface (one method per operation), merged into the
/// `NeonClient` class, and the `OperationId` union.
pub fn interface(ops: &[Op]) -> String {
    let mut out = String::new();
    out.push_str("/** One method per Management API operation, named by its `operationId`. */\n");
    out.push_str("export interface NeonClientMethods {\n");
    for op in ops {
        let mut doc = Vec::new();
        if let Some(summary) = &op.summary {
            doc.push(summary.clone());
        }
        doc.push(format!("`{} {}`", op.method.to_uppercase(), op.path));
        if op.deprecated {
            doc.push(match &op.replacement {
                Some(id) => {
                    format!("@deprecated Deprecated in the Neon API spec: use `{id}` instead.")
                }
                None => "@deprecated Deprecated in the Neon API spec.".into(),
            });
        }
        let mut jsdoc = String::from("  /**\n");
        for line in doc {
            jsdoc.push_str(&format!("   * {}\n", jsdoc_safe(&line)));
        }
        jsdoc.push_str("   */\n");
        let q = if op.params_optional { "?" } else { "" };
        let (id, params, result) = (&op.id, &op.params_type, ts_return(&op.response));
        if may_find_existing(op) {
            // Two overloads, the wider last (what `call`, `Parameters` and `ReturnType` see):
            // without `ifExists: "return"` the create's own response; with it, or with options
            // whose `ifExists` is not known, also the resource found already there.
            out.push_str(&jsdoc);
            out.push_str(&format!(
                "  {id}(params{q}: {params}, options?: CallOptions & {{ ifExists?: \"error\" }}): Promise<{result}>;\n"
            ));
            out.push_str(&jsdoc);
            out.push_str(&format!(
                "  {id}(params{q}: {params}, options?: CallOptions): Promise<NeonCreated<{params}, {result}>>;\n"
            ));
        } else {
            out.push_str(&jsdoc);
            out.push_str(&format!(
                "  {id}(params{q}: {params}, options?: CallOptions): Promise<{result}>;\n"
            ));
        }
    }
    out.push_str("}\n\n");
    out.push_str("/** Every `operationId` the client knows. */\n");
    out.push_str("export type OperationId = keyof NeonClientMethods;\n\n");
    out.push_str("export interface NeonClient extends NeonClientMethods {}\n");
    out
}

/// The body of `typescript.rs`.
pub fn emit(ops: &[Op]) -> String {
    let ts = interface(ops);
    let mut out = String::new();
    out.push_str("/// The TypeScript declaration of every generated `NeonClient` method. It merges with the\n");
    out.push_str("/// `NeonClient` class that wasm-bindgen declares (the bindings add it to the module's\n");
    out.push_str("/// declarations); `CallOptions` comes from the bindings.\n");
    out.push_str(&format!(
        "pub const NEON_CLIENT_METHODS_TS: &str = r#\"\n{ts}\"#;\n"
    ));
    out
}
