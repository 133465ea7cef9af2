// Placeholder until the browser client lands (issue 3): nothing to bundle yet.
console.log("no browser client to build yet");
