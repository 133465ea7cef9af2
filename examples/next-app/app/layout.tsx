// The app's shell; the feed adds nothing here.
import type { ReactNode } from "react";

export const metadata = { title: "Stories" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: "0 auto", maxWidth: 640, padding: 16 }}>
        {children}
      </body>
    </html>
  );
}
