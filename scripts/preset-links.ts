/** Prints the presets gallery as Markdown links for the README: npx tsx scripts/preset-links.ts [base-url] */
import { presets } from '../src/ui/presets';

const base = process.argv[2] ?? 'http://localhost:5173/';
for (const p of presets()) {
  if (p.ok) console.log(`- [${p.title}](${base}${p.href}) — ${p.intro} ${p.claimTexts.join(' ')}`);
  else console.log(`- ${p.title} — unavailable: ${p.reason}`);
}
