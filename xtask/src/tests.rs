//! Generator tests on a small spec that holds every construct the real one uses.

use crate::operations::{self, BodyMedia, Response};
use crate::types::{Kind, Module, Ty, Types};
use crate::{emit_ops, emit_ts, emit_types};
use yaml_rust2::{Yaml, YamlLoader};

const SPEC: &str = r##"
openapi: 3.0.3
paths:
  /projects/{project_id}/things:
    parameters:
      - name: project_id
        in: path
        required: true
        schema: { type: string }
    get:
      operationId: listThings
      summary: List things
      parameters:
        - name: ids
          in: query
          schema: { type: array, items: { type: string } }
        - name: tags
          in: query
          explode: false
          schema: { type: array, items: { type: string } }
        - name: sort
          in: query
          required: true
          schema: { type: string, enum: [name, created_at] }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                allOf:
                  - $ref: "#/components/schemas/ThingsResponse"
                  - $ref: "#/components/schemas/Paging"
    post:
      operationId: createThing
      deprecated: true
      description: DEPRECATED, use `/projects/{project_id}/widgets` instead.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [thing]
              properties:
                thing:
                  type: object
                  properties:
                    name: { type: string }
      responses:
        "201": { description: created }
  /projects/{project_id}/widgets:
    post:
      operationId: createWidget
      parameters:
        - name: project_id
          in: path
          required: true
          schema: { type: string }
      requestBody:
        content:
          multipart/form-data:
            schema: { type: object, properties: { zip: { type: string, format: binary } } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Thing" }
        "204": { description: gone }
  /blobs/{blob_id}:
    get:
      operationId: getBlob
      parameters:
        - { name: blob_id, in: path, required: true, schema: { type: integer, format: int64 } }
      responses:
        "200":
          description: bytes
          content:
            application/octet-stream:
              schema: { type: string, format: binary }
components:
  schemas:
    Thing:
      type: object
      description: A thing.
      required: [id, kind, size]
      properties:
        id: { type: string }
        type: { type: string }
        kind: { $ref: "#/components/schemas/Kind" }
        size: { type: integer, format: int32 }
        ratio: { type: number }
        labels: { type: object, additionalProperties: { type: string } }
        meta: { type: object, additionalProperties: true }
        parent: { allOf: [{ $ref: "#/components/schemas/Thing2" }], nullable: true }
        old: { type: boolean, deprecated: true }
    Thing2:
      type: object
      properties:
        note: { type: string }
    Kind:
      type: string
      enum: [k8s-pod, UNKNOWN, Other]
    ThingsResponse:
      type: object
      required: [things]
      properties:
        things: { type: array, items: { $ref: "#/components/schemas/Thing" } }
    Paging:
      type: object
      properties:
        pagination: { type: object, required: [cursor], properties: { cursor: { type: string } } }
    Server:
      type: object
      discriminator:
        propertyName: type
        mapping:
          a: "#/components/schemas/Thing2"
          b: "#/components/schemas/Paging"
      oneOf:
        - $ref: "#/components/schemas/Thing2"
        - $ref: "#/components/schemas/Paging"
    Tree:
      type: object
      required: [root]
      properties:
        root: { $ref: "#/components/schemas/Node" }
        children: { type: array, items: { $ref: "#/components/schemas/Tree" } }
    Node:
      type: object
      properties:
        parent: { $ref: "#/components/schemas/Tree" }
    Ids:
      type: array
      items: { type: string }
"##;

fn spec() -> Yaml {
    YamlLoader::load_from_str(SPEC).unwrap().remove(0)
}

fn struct_fields<'a>(types: &'a Types, name: &str) -> &'a [crate::types::Field] {
    match &types
        .get(name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
    {
        Kind::Struct(fields) => fields,
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn schemas_become_structs_enums_unions_and_aliases() {
    let root = spec();
    let types = Types::from_components(&root).unwrap();
    let thing = struct_fields(&types, "Thing");
    let field = |json: &str| thing.iter().find(|f| f.json == json).unwrap();
    assert_eq!(field("type").ident, "type_");
    assert_eq!(field("kind").ty, Ty::Named("Kind".into()));
    assert!(field("kind").required && !field("type").required);
    assert_eq!(field("size").ty, Ty::I32);
    assert_eq!(field("labels").ty, Ty::Map(Box::new(Ty::Str)));
    assert_eq!(field("meta").ty, Ty::Map(Box::new(Ty::Any)));
    assert_eq!(field("parent").ty, Ty::Named("Thing2".into()));
    assert!(field("parent").nullable && field("old").deprecated);
    assert!(matches!(&types.get("Kind").unwrap().kind, Kind::Enum(v) if v.len() == 3));
    assert!(matches!(
        &types.get("Ids").unwrap().kind,
        Kind::Alias(Ty::Vec(_))
    ));
    let Kind::Union { tag, variants } = &types.get("Server").unwrap().kind else {
        panic!()
    };
    assert_eq!(tag.as_deref(), Some("type"));
    assert_eq!(
        variants
            .iter()
            .map(|v| v.ident.as_str())
            .collect::<Vec<_>>(),
        ["A", "B"]
    );
    // Inline objects are named after where they appear.
    assert_eq!(struct_fields(&types, "PagingPagination")[0].json, "cursor");
}

#[test]
fn operations_merge_path_level_parameters_and_classify_bodies_and_responses() {
    let root = spec();
    let mut types = Types::from_components(&root).unwrap();
    let ops = operations::collect(&mut types, &[]).unwrap();
    let op = |id: &str| ops.iter().find(|o| o.id == id).unwrap();

    let list = op("listThings");
    assert_eq!(list.path_params[0].name, "project_id");
    assert_eq!(struct_fields(&types, "ListThingsParams")[0].json, "projectId");
    assert_eq!(
        list.query_params
            .iter()
            .map(|q| (q.name.as_str(), q.comma))
            .collect::<Vec<_>>(),
        [("ids", false), ("tags", true), ("sort", false)]
    );
    assert!(!list.params_optional);
    // `allOf` of two schemas is flattened into one named response type.
    assert_eq!(
        list.response,
        Response::Json(Ty::Named("ListThingsResponse".into()))
    );
    let fields: Vec<&str> = struct_fields(&types, "ListThingsResponse")
        .iter()
        .map(|f| f.json.as_str())
        .collect();
    assert_eq!(fields, ["things", "pagination"]);
    assert!(types
        .get("ListThingsSort")
        .is_some_and(|d| d.module == Module::Params));

    let create = op("createThing");
    assert_eq!(
        (create.body, create.response.clone()),
        (Some(true), Response::Empty)
    );
    assert_eq!(create.replacement.as_deref(), Some("createWidget"));
    assert!(types.get("CreateThingBodyThing").is_some());

    let widget = op("createWidget");
    assert_eq!(widget.body_media, BodyMedia::Multipart);
    assert_eq!(
        widget.response,
        Response::MaybeJson(Ty::Named("Thing".into()))
    );
    assert!(!widget.params_optional);

    let blob = op("getBlob");
    assert_eq!(blob.response, Response::Bytes);
    assert_eq!(struct_fields(&types, "GetBlobParams")[0].ty, Ty::I64);
}

#[test]
fn emitted_rust_and_typescript_carry_the_conventions() {
    let root = spec();
    let mut types = Types::from_components(&root).unwrap();
    let ops = operations::collect(&mut types, &[]).unwrap();
    let models = emit_types::emit(&types, Module::Models);
    assert!(models.contains(
        "#[serde(rename = \"type\", default, skip_serializing_if = \"Option::is_none\")]"
    ));
    assert!(models.contains(
        "tsify(type = \"\\\"k8s-pod\\\" | \\\"UNKNOWN\\\" | \\\"Other\\\" | (string & {})\")"
    ));
    // A value named `Other` pushes the catch-all to another name.
    assert!(models.contains("OtherValue(String)"));
    assert!(models.contains("tsify(optional, type = \"Record<string, string>\")"));
    assert!(models.contains("#[serde(tag = \"type\")]"));
    assert!(models.contains("export type Ids = string[];"));
    // Recursion through a struct is boxed; through a list it needs nothing.
    assert!(models.contains("pub root: Box<Node>,"));
    assert!(models.contains("pub parent: Option<Box<Tree>>,"));
    assert!(models.contains("pub children: Option<Vec<Tree>>,"));
    let params = emit_types::emit(&types, Module::Params);
    assert!(params
        .contains("#[serde(rename = \"projectId\", skip_serializing_if = \"String::is_empty\")]"));
    let methods = emit_ops::emit_methods(&ops);
    assert!(methods.contains(
        "#[deprecated(note = \"deprecated in the Neon API spec: use `create_widget` instead\")]"
    ));
    assert!(methods.contains("-> Result<Option<Thing>, Error>"));
    assert!(methods.contains("-> Result<Vec<u8>, Error>"));
    let table = emit_ops::emit_table(&ops).unwrap();
    assert!(table.contains(
        "    LIST_THINGS = \"listThings GET /projects/{project_id}/things?ids&tags,&sort!\";"
    ));
    assert!(table.contains("    CREATE_THING = \"createThing POST /projects/{project_id}/things body deprecated\";"));
    assert!(table.contains(" multipart\";"));
    assert!(table.contains(" bytes\";"));
    let ts = emit_ts::interface(&ops);
    assert!(ts.contains(
        "listThings(params: ListThingsParams, options?: CallOptions): Promise<ListThingsResponse>;"
    ));
    assert!(ts
        .contains("createThing(params: CreateThingParams, options?: CallOptions): Promise<void>;"));
    assert!(ts.contains("Promise<Thing | undefined>"));
    assert!(ts.contains("@deprecated Deprecated in the Neon API spec: use `createWidget` instead."));
}

#[test]
fn the_table_refuses_names_it_can_not_carry() {
    let root = spec();
    let mut types = Types::from_components(&root).unwrap();
    let ops = operations::collect(&mut types, &[]).unwrap();
    let mut op = ops.iter().find(|o| o.id == "listThings").unwrap().clone();
    assert!(emit_ops::table_line(&op).is_ok());
    op.query_params[0].name = "a&b".into();
    assert!(emit_ops::table_line(&op).unwrap_err().contains("`a&b`"));
    let mut op = ops.iter().find(|o| o.id == "getBlob").unwrap().clone();
    op.path_params[0].name = "blobId".into();
    assert!(emit_ops::table_line(&op).unwrap_err().contains("not snake_case"));
}

#[test]
fn an_unknown_http_method_is_a_generator_error_naming_the_operation_and_the_method() {
    let collect = |method: &str, extra_ids: &[&str]| {
        let spec = format!(
            r#"
openapi: 3.0.3
paths:
  /things:
    summary: Things
    x-internal: true
    parameters: []
    get:
      operationId: listThings
      responses: {{ "200": {{ description: ok }} }}
    {method}:
      operationId: brewThings
      responses: {{ "200": {{ description: ok }} }}
"#
        );
        let root = YamlLoader::load_from_str(&spec).unwrap().remove(0);
        let mut types = Types::from_components(&root).unwrap();
        let extra: Vec<String> = extra_ids.iter().map(|id| id.to_string()).collect();
        operations::collect(&mut types, &extra).map(|ops| ops.len())
    };
    // Path item fields and extensions are not operations.
    assert_eq!(collect("post", &[]), Ok(2));

    let err = collect("brew", &["brewThings"]).unwrap_err();
    assert!(err.starts_with("xtask/extra-operations.yaml: "), "{err}");
    assert!(
        err.contains("`brewThings`") && err.contains("`brew`"),
        "{err}"
    );
    let err = collect("options", &[]).unwrap_err();
    assert!(err.starts_with("public-v2-for-users.gen.yaml: "), "{err}");
    assert!(
        err.contains("`brewThings`") && err.contains("`options`"),
        "{err}"
    );
    assert!(collect("POST", &[]).unwrap_err().contains("lowercase"));
}
