/**
 * A chart as it leaves the page (SVG or PNG): framed with a title, a caption naming the run and the
 * step it shows, and a legend — so an exported picture says what it is without the page around it.
 */
import { FONT, INK, MUTED } from './charts/hooks';

export interface LegendItem {
  label: string;
  color: string;
  /** 'line' (optionally dashed), 'dot' (filled point), 'ring' (open point), 'box' (a shaded area). */
  mark: 'line' | 'dot' | 'ring' | 'box';
  dash?: string;
}

export interface ExportInfo {
  title: string;
  /** e.g. "run 2: Adam · step 57". */
  caption: string;
  legend?: LegendItem[];
}

const NS = 'http://www.w3.org/2000/svg';
const PAD = 12;
const TITLE_H = 22;
const LINE_H = 18;
/** A rough text width (px at 12 px) to lay out legend items without measuring. */
const textWidth = (s: string, size = 12) => Math.ceil(s.length * size * 0.56);

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function legendMark(item: LegendItem, x: number, y: number): SVGElement {
  switch (item.mark) {
    case 'line':
      return el('line', { x1: x, x2: x + 20, y1: y, y2: y, stroke: item.color, 'stroke-width': 2, ...(item.dash ? { 'stroke-dasharray': item.dash } : {}) });
    case 'box':
      return el('rect', { x, y: y - 6, width: 20, height: 12, fill: item.color, 'fill-opacity': 0.35 });
    case 'dot':
      return el('circle', { cx: x + 10, cy: y, r: 4, fill: item.color, stroke: '#fff', 'stroke-width': 0.8 });
    case 'ring':
      return el('circle', { cx: x + 10, cy: y, r: 4, fill: '#fff', stroke: item.color, 'stroke-width': 1.6 });
  }
}

/** Legend rows for a width: items flow left to right and wrap. */
export function layoutLegend(items: LegendItem[], width: number): { item: LegendItem; x: number; row: number }[] {
  const out: { item: LegendItem; x: number; row: number }[] = [];
  let x = PAD;
  let row = 0;
  for (const item of items) {
    const w = 26 + textWidth(item.label) + 16;
    if (x > PAD && x + w > width - PAD) {
      row++;
      x = PAD;
    }
    out.push({ item, x, row });
    x += w;
  }
  return out;
}

/**
 * A new standalone <svg> holding the chart (a clone of `chart`, `width`×`height`) under a header with
 * the title, the caption and the legend. Returns the framed svg and its size.
 */
export function framed(chart: SVGSVGElement, width: number, height: number, info: ExportInfo): { svg: SVGSVGElement; width: number; height: number } {
  const legend = layoutLegend(info.legend ?? [], width);
  const rows = legend.length ? Math.max(...legend.map((l) => l.row)) + 1 : 0;
  const head = PAD + TITLE_H + LINE_H + rows * LINE_H + 6;
  const W = Math.max(width, 240);
  const H = head + height;
  const svg = el('svg', { xmlns: NS, width: W, height: H, viewBox: `0 0 ${W} ${H}`, 'font-family': FONT }) as SVGSVGElement;
  svg.appendChild(el('rect', { width: '100%', height: '100%', fill: '#ffffff' }));
  svg.appendChild(el('text', { x: PAD, y: PAD + 15, 'font-size': 16, 'font-weight': 600, fill: INK, 'data-export': 'title' }, info.title));
  svg.appendChild(el('text', { x: PAD, y: PAD + TITLE_H + 12, 'font-size': 12, fill: MUTED, 'data-export': 'caption' }, info.caption));
  const g = el('g', { 'data-export': 'legend' });
  for (const { item, x, row } of legend) {
    const y = PAD + TITLE_H + LINE_H + row * LINE_H + 8;
    g.appendChild(legendMark(item, x, y));
    g.appendChild(el('text', { x: x + 26, y: y + 4, 'font-size': 12, fill: INK }, item.label));
  }
  svg.appendChild(g);
  const body = chart.cloneNode(true) as SVGSVGElement;
  body.setAttribute('x', '0');
  body.setAttribute('y', String(head));
  body.setAttribute('width', String(width));
  body.setAttribute('height', String(height));
  body.querySelectorAll('[data-no-export]').forEach((n) => n.remove());
  svg.appendChild(body);
  return { svg, width: W, height: H };
}
