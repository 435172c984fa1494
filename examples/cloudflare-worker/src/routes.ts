// The Worker's own routes: provisioning a claimable database and listing the key's projects.
import { createClaimableDatabase } from "neon-edge/postgres";
import type { Config } from "./config.js";
import { neonError } from "./http.js";
import { errorResponse, type Client } from "./neon.js";

/** A connection string with its password replaced by `****`. */
function maskPassword(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.password !== "") url.password = "****";
  return url.toString();
}

/**
 * `POST /databases`: provisions a claimable database. The caller gets its claim link and a
 * masked connection string (the password stays with whoever claims it into a Neon account).
 */
export async function provisionDatabase(config: Config): Promise<Response> {
  try {
    const db = await createClaimableDatabase({ ref: config.claimableRef, baseUrl: config.claimableBaseUrl });
    return Response.json({
      id: db.id,
      status: db.status,
      neonProjectId: db.neonProjectId,
      claimUrl: db.claimUrl,
      expiresAt: db.expiresAt,
      databaseUrl: maskPassword(db.databaseUrl),
    }, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}

/** `GET /projects[?limit=N]`: the key's projects, as `{ projects: [{ id, name, region_id, created_at }] }`. */
export async function listProjects(url: URL, connect: () => Promise<Client>): Promise<Response> {
  const limitParam = url.searchParams.get("limit");
  const limit = limitParam === null ? undefined : Number(limitParam);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 400)) {
    return neonError(400, "invalid_parameter", "limit must be an integer from 1 to 400");
  }
  const { neon } = await connect();
  try {
    const { projects } = await neon.listProjects({ limit });
    return Response.json({
      projects: projects.map(({ id, name, region_id, created_at }) => ({ id, name, region_id, created_at })),
    });
  } catch (error) {
    return errorResponse(error);
  }
}
