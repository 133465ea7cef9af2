// GET /api/feed/people: people with live posts, by their newest post, newest first (a stories tray).
import { getApp } from "../../lib/app.js";
import { route } from "../../lib/http/route.js";
import { ROUTES } from "../../lib/routes.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, ROUTES.people);
