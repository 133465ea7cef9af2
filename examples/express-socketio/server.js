// An existing chat server (Express + socket.io + Redis) with the ephemeral feed mounted at /api/feed. The feed shares
// the chat's Redis connection, its sign-in and its socket: only the three statements marked "feed" are new.
import { createServer } from "node:http";
import { createRequestListener } from "ephemeral-feed/node"; // feed (1/3)
import express from "express";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import { createChat } from "./chat.js";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const app = express();
const server = createServer(app);
const io = new Server(server);
const chat = createChat({ app, io, redis });

// feed (2/3): who the chat says the caller is, and a broadcast on the chat's socket once a post is stored.
const feed = createRequestListener({
  redis,
  identify: (request) => chat.userFor(request.headers.get("authorization")?.replace(/^Bearer /, "")),
  onPublished: (post) => io.emit("feed:published", post),
  onRemoved: (id, reason) => io.emit("feed:removed", { id, reason }),
});
app.use("/api/feed", feed); // feed (3/3)

const port = Number(process.env.PORT ?? 3000);
server.listen(port, "127.0.0.1", () => console.log(`chat on http://127.0.0.1:${port}`));
