// The standalone Vercel project's feed: the package's handlers over the process's app (getApp), which the dev server
// and tests replace with useApp. Each api/ file is one line of it.
import { getApp } from "../app.js";
import { feedOver } from "./create-feed.js";

export const standaloneFeed = feedOver(getApp);
