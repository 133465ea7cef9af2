// GET /api/feed/people: people with live posts, by their newest post, newest first (a stories tray).
import { standaloneFeed } from "../../lib/host/standalone.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = standaloneFeed.handlers.people;
