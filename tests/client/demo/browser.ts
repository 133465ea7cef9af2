// Debian's Chromium driven by playwright-core, and helpers the demo-page tests share (pages, sign-in, test media).
import { existsSync } from "node:fs";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";

// Debian's package (`apt-get install -y chromium`); playwright's own browser downloads do not work here.
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// Without the networking flags Chromium tries to reach the internet on start.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Fails (never skips) without Chromium: CI installs it, and a skipped browser test would prove nothing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is required at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A page in its own context (its own sessionStorage, so its own person), failing the test on any page error. */
export async function openPage(browser: Browser, errors: string[], options: BrowserContextOptions = {}): Promise<Page> {
  const page = await (await browser.newContext({ viewport: DESKTOP, ...options })).newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  return page;
}

/** Signs in through the page's own form, as a person would. */
export async function signIn(page: Page, baseUrl: string, name: string): Promise<void> {
  if (page.url() !== `${baseUrl}/`) await page.goto(baseUrl);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${name}`).waitFor();
}

/** A real PNG (a small sunset scene) rendered by Chromium itself, so no binary fixture is needed. */
export async function scenePng(
  browser: Browser,
  sky: [string, string],
  size: { width: number; height: number } = { width: 800, height: 520 },
): Promise<Buffer> {
  const page = await browser.newPage({ viewport: size });
  const hill = "position:absolute;bottom:0;border-radius:50% 50% 0 0";
  await page.setContent(`<body style="margin:0"><div style="position:relative;width:100vw;height:100vh;overflow:hidden;
    background:linear-gradient(180deg,${sky[0]},${sky[1]})">
    <div style="position:absolute;left:480px;top:150px;width:140px;height:140px;border-radius:50%;background:#fff6d5"></div>
    <div style="${hill};left:-120px;width:620px;height:240px;background:#2d3a4a"></div>
    <div style="${hill};left:300px;width:700px;height:190px;background:#1c2633"></div></div></body>`);
  const png = await page.screenshot({ type: "png" });
  await page.close();
  return png;
}

/** A real WebM (half a second of shifting colour) recorded by Chromium's MediaRecorder from a canvas. */
export async function sceneWebm(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage();
  const bytes = await page.evaluate(async () => {
    const canvas = Object.assign(document.createElement("canvas"), { width: 320, height: 180 });
    const paint = canvas.getContext("2d") as CanvasRenderingContext2D;
    const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType: "video/webm" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    let frame = 0;
    const draw = setInterval(() => {
      frame += 1;
      paint.fillStyle = `hsl(${frame * 24} 70% 50%)`;
      paint.fillRect(0, 0, 320, 180);
    }, 50);
    const stopped = new Promise((done) => recorder.addEventListener("stop", done));
    recorder.start();
    await new Promise((done) => setTimeout(done, 500));
    recorder.stop();
    await stopped;
    clearInterval(draw);
    return [...new Uint8Array(await new Blob(chunks).arrayBuffer())];
  });
  await page.close();
  return Buffer.from(bytes);
}
