// Starts an example host as its own process (as `npm start` would) and stops it, with its output kept for failures.
import { type ChildProcess, spawn } from "node:child_process";

export interface HostProcess {
  baseUrl: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Runs `command` in `cwd` and waits until `readyPath` answers (any status), or fails with the host's output. */
export async function startHost(options: {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  readyPath: string;
  timeoutMs?: number;
}): Promise<HostProcess> {
  const { command, args, cwd, env, port, readyPath, timeoutMs = 60_000 } = options;
  const child: ChildProcess = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    const gone = () => child.exitCode !== null || child.signalCode !== null;
    if (gone() || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM"); // the whole group: `next start` runs its server in a child process
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (!gone()) process.kill(-child.pid, "SIGKILL");
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}:\n${output}`);
    const answered = await fetch(`${baseUrl}${readyPath}`).then(
      () => true,
      () => false,
    );
    if (answered) return { baseUrl, output: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`${command} did not answer on ${baseUrl}${readyPath} within ${timeoutMs} ms:\n${output}`);
}
