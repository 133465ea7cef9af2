// The stories page: rendered on the client, from the feed's browser SDK (ephemeral-feed/client).
import { Stories } from "./stories";

export default function Home() {
  return (
    <main>
      <h1>Stories</h1>
      <Stories />
    </main>
  );
}
