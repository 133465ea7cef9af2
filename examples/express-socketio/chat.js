// The chat as it was before the feed: sign-in by name, messages over socket.io, the last 50 kept in Redis.
import { randomUUID } from "node:crypto";
import express from "express";

// Enough history for someone who just joined; older messages are dropped on write.
const HISTORY = 50;

export function createChat({ app, io, redis }) {
  const sessions = new Map(); // token → { userId, username }
  const userFor = (token) => (token ? (sessions.get(token) ?? null) : null);

  const router = express.Router();
  router.use(express.json());
  router.post("/login", (req, res) => {
    const username = String(req.body?.name ?? "")
      .trim()
      .slice(0, 40);
    if (!username) return res.status(400).json({ error: "name required" });
    const token = randomUUID();
    sessions.set(token, { userId: `user-${username.toLowerCase()}`, username });
    res.json({ token });
  });
  router.get("/messages", async (_req, res) => {
    const raw = await redis.lrange("chat:messages", 0, HISTORY - 1);
    res.json(raw.map((item) => JSON.parse(item)).reverse());
  });
  app.use("/chat", router);

  io.use((socket, next) => {
    const user = userFor(socket.handshake.auth?.token);
    if (!user) return next(new Error("unauthorized"));
    socket.data.user = user;
    next();
  });
  io.on("connection", (socket) => {
    socket.on("chat:message", async (text, ack) => {
      const message = { from: socket.data.user.username, text: String(text).slice(0, 500), at: Date.now() };
      await redis
        .multi()
        .lpush("chat:messages", JSON.stringify(message))
        .ltrim("chat:messages", 0, HISTORY - 1)
        .exec();
      io.emit("chat:message", message);
      ack?.(message);
    });
  });

  return { userFor };
}
