// GET /api/feed/people: people with live posts, by their newest post, newest first (a stories tray).
import { getApp } from "../../lib/app.js";
import { readPeople } from "../../lib/feed-reads.js";
import { pageResponse, readQuery } from "../../lib/http/json.js";
import { route } from "../../lib/http/route.js";
import { PeopleQuerySchema } from "../../lib/schemas.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, {
  async GET(request, app) {
    await app.admitRead(request);
    const paged = await readPeople(readQuery(request, PeopleQuerySchema), app.feed);
    return pageResponse(request, paged, app.config.readRequiresAuth);
  },
});
