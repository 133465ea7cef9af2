// GET /api/feed/people: people with live posts, by their newest post, newest first (a stories tray).
import { getApp } from "../../lib/app.js";
import { answerPeople } from "../../lib/feed-reads.js";
import { readQuery } from "../../lib/http/json.js";
import { pageResponse } from "../../lib/http/page-cache.js";
import { route } from "../../lib/http/route.js";
import { PeopleQuerySchema } from "../../lib/schemas.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, {
  async GET(request, app) {
    await app.admitRead(request);
    const query = readQuery(request, PeopleQuerySchema);
    const store = query.sync ? app.pages.afterWrite(query.sync) : app.pages.shared;
    const answer = await answerPeople(query, request.headers.get("if-none-match"), { ...app.feed, store });
    return pageResponse(answer, { ...app.config, personal: query.sync !== undefined }, app.feed.now());
  },
});
