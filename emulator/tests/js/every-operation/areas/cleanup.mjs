// Deleting a project (last: the other areas use it).
export const name = "cleanup";

export async function run({ call, ids }) {
  await call("deleteProject", { projectId: ids.spareProjectId });
}
