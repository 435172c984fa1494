// A Vercel Edge function: `POST /api/provision` provisions a claimable Postgres database (no
// Neon account needed) and runs a query in it, answering with the database's id, claim link
// and the row the query returned. Its connection string never leaves the function.
import { describeError, greetFromClaimableDatabase } from "../../shared/tour.mjs";

export const config = { runtime: "edge" };

export default async function handler(request: Request): Promise<Response> {
  // Provisioning on POST only: a crawler's or a prefetch's GET must not create databases.
  if (request.method !== "POST") {
    return Response.json({ error: "POST to provision a database" }, { status: 405, headers: { allow: "POST" } });
  }
  try {
    return Response.json(await greetFromClaimableDatabase({ runtime: "vercel-edge", env: (name) => process.env[name] }));
  } catch (error) {
    return Response.json({ error: describeError(error) }, { status: 502 });
  }
}
