/**
 * Issue 13, audio: upload a WAV (a bad one first: a clear message, nothing crashes), run IS-NMF on its
 * spectrogram, separate the components, and play them — the page's Web Audio graph (its AnalyserNode,
 * read by the level meter) produces non-silent output. Uploaded audio is kept out of the share link.
 */
import { synthPiece } from '../src/core/audio/synth';
import { encodeWav } from '../src/core/audio/wav';
import { expect, ready, test } from './fixtures';

test('upload a WAV, run IS-NMF, hear each component', async ({ page, problems }) => {
  await page.goto('/');
  await ready(page);
  await page.getByLabel('Model', { exact: true }).selectOption('nmf');
  await page.getByLabel('NMF data').selectOption('audio');
  await page.getByLabel('β (divergence)').fill('0');
  await page.getByLabel('Rank K').fill('3');

  const upload = page.getByTestId('audio-upload');
  await upload.setInputFiles({ name: 'notes.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('ID3\u0003 not a wav') });
  await expect(page.getByTestId('audio-upload-error')).toContainText('notes.mp3: not a WAV file: it does not start with a RIFF/WAVE header');
  await upload.setInputFiles({ name: 'silence.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([new Float32Array(8000)], 8000)) });
  await expect(page.getByTestId('audio-upload-error')).toContainText('silence.wav: the audio is silent');

  // A stereo 16-bit recording: the built-in notes on the left, the same at half level on the right.
  const x = synthPiece({ name: 'piano-notes', sampleRate: 8000, noteSeconds: 0.3 });
  const wav = encodeWav([x, x.map((v) => 0.5 * v)], 8000, 'pcm16');
  await upload.setInputFiles({ name: 'notes.wav', mimeType: 'audio/wav', buffer: Buffer.from(wav) });
  await expect(page.getByTestId('audio-upload-error')).toHaveCount(0);
  await expect(page.getByTestId('audio-fields')).toContainText('notes.wav: 1.80 s, 8000 Hz, 2 channels mixed to mono, pcm16');
  await expect(page.getByTestId('audio-fields')).toContainText('uploaded audio is never put in a share link');
  await expect(page.getByText('No link: this experiment would not open from one (uploaded audio is never put in a share link)')).toBeVisible();

  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-row-0')).toHaveAttribute('data-step', /[1-9]/, { timeout: 45_000 });

  const panel = page.getByTestId('audio-panel');
  await panel.getByTestId('audio-separate').click();
  const tracks = page.getByTestId('audio-tracks').locator('li');
  await expect(tracks).toHaveCount(5, { timeout: 30_000 }); // mixture, sum, k = 1, 2, 3
  await expect(page.locator('[data-chart="component-spectra"] path[data-component]')).toHaveCount(3);
  await expect(page.locator('[data-chart="component-activations"] path[data-component]')).toHaveCount(3);
  await expect(page.getByTestId('component-spectra')).toContainText('frequency (Hz, log scale)');
  await expect(page.getByTestId('component-spectra')).toContainText('time (s)');

  const meter = page.getByTestId('audio-level');
  await page.getByRole('button', { name: 'Play Component k=1' }).click();
  await expect(page.getByRole('button', { name: 'Stop Component k=1' })).toBeVisible();
  await expect.poll(async () => Number(await meter.getAttribute('data-peak')), { timeout: 10_000 }).toBeGreaterThan(0.01);
  await page.getByRole('button', { name: 'Play Sum of the components' }).click();
  await expect(page.getByRole('button', { name: 'Play Component k=1' })).toBeVisible();
  await page.getByRole('button', { name: 'Stop Sum of the components' }).click();
  await expect(page.getByRole('button', { name: 'Play Sum of the components' })).toBeVisible();
  expect(problems.errors).toEqual([]);
});
