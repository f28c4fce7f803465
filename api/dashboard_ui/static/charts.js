// Small SVG charts of our own (no library): horizontal bars, stacked columns and a heat map.
// Every text goes in as a text node; colours come from CSS classes (the page CSP allows no inline style).
// Each chart is drawn for a width in CSS pixels, so its text stays at the page's size on a phone too.

const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const child of children) if (child !== null && child !== undefined) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

function frame(width, height, label) {
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label, class: "chart" }, svg("title", {}, label));
}

/**
 * Horizontal bars: one group per label, one bar per series ({name, values, cls}); `format` writes a value.
 * Long labels are cut with an ellipsis (the table below the chart has them whole).
 */
export function barsChart({ label, labels, series, format = String, width = 600, max = null }) {
  const row = 22 * series.length + 10;
  const labelWidth = Math.min(230, Math.round(width * 0.36));
  const valueWidth = 64;
  const legend = series.length > 1 ? 24 : 0;
  const height = legend + labels.length * row + 4;
  const top = Math.max(max ?? 0, ...series.flatMap((s) => s.values.map((v) => Number(v) || 0)));
  const scale = (width - labelWidth - valueWidth - 8) / (top || 1);
  const chart = frame(width, Math.max(height, 30), label);
  if (legend) chart.append(legendRow(series, 0, 14));
  labels.forEach((text, i) => {
    const y = legend + i * row;
    chart.append(svg("text", { x: labelWidth - 8, y: y + row / 2 + 4, "text-anchor": "end", class: "chart-label" }, clip(text, (labelWidth - 10) / 8)));
    series.forEach((s, j) => {
      const value = Number(s.values[i]) || 0;
      const barY = y + 5 + j * 22;
      chart.append(svg("rect", { x: labelWidth, y: barY, width: Math.max(value ? 2 : 0, value * scale), height: 17, rx: 2, class: `bar ${s.cls || ""}` }));
      chart.append(svg("text", { x: labelWidth + value * scale + 6, y: barY + 13, class: "chart-value" }, format(s.values[i])));
    });
  });
  return chart;
}

/** Stacked columns over time: `periods` on the x axis, `stacks` ({name, values, cls}) piled up, totals on top. */
export function columnsChart({ label, periods, stacks, periodLabel = String, width = 600, height = 220 }) {
  const left = 36, bottom = 40, top = 34;
  const totals = periods.map((_, i) => stacks.reduce((sum, s) => sum + (Number(s.values[i]) || 0), 0));
  const highest = niceMax(Math.max(1, ...totals));
  const plot = height - bottom - top;
  const step = (width - left - 4) / Math.max(1, periods.length);
  const barWidth = Math.max(2, Math.min(36, step * 0.7));
  const chart = frame(width, height, label);
  chart.append(legendRow(stacks, 0, 14));
  for (const tick of [0, highest / 2, highest]) {
    const y = top + plot - (tick / highest) * plot;
    chart.append(svg("line", { x1: left, x2: width, y1: y, y2: y, class: "grid" }));
    chart.append(svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "chart-axis" }, String(Math.round(tick))));
  }
  const every = Math.max(1, Math.ceil(periods.length / Math.max(1, Math.floor((width - left) / 56))));
  periods.forEach((p, i) => {
    const x = left + i * step + (step - barWidth) / 2;
    let y = top + plot;
    for (const s of stacks) {
      const value = Number(s.values[i]) || 0;
      const tall = (value / highest) * plot;
      if (tall > 0) chart.append(svg("rect", { x, y: y - tall, width: barWidth, height: tall, class: `bar ${s.cls || ""}` }, svg("title", {}, `${periodLabel(p)} · ${s.name}: ${value}`)));
      y -= tall;
    }
    if (i % every === 0) chart.append(svg("text", { x: x + barWidth / 2, y: top + plot + 16, "text-anchor": "middle", class: "chart-axis" }, periodLabel(p)));
  });
  return chart;
}

/** A weekday × hour grid: `cells[day][hour]` is a number; darker is more. Hours shown: `hours` (a list). */
export function heatChart({ label, days, hours, cells, width = 600 }) {
  const left = 44, top = 20;
  const cell = Math.max(12, Math.min(40, (width - left - 4) / Math.max(1, hours.length)));
  const height = top + days.length * cell + 4;
  const highest = Math.max(1, ...cells.flat());
  const chart = frame(Math.min(width, left + hours.length * cell + 4), height, label);
  const every = cell < 22 ? 2 : 1;
  hours.forEach((hour, j) => {
    if (j % every === 0) chart.append(svg("text", { x: left + j * cell + cell / 2, y: 14, "text-anchor": "middle", class: "chart-axis" }, String(hour)));
  });
  days.forEach((day, i) => {
    chart.append(svg("text", { x: left - 6, y: top + i * cell + cell / 2 + 4, "text-anchor": "end", class: "chart-label" }, day));
    hours.forEach((hour, j) => {
      const value = cells[i][hour] || 0;
      const level = value ? Math.min(5, 1 + Math.floor((value / highest) * 5)) : 0;
      chart.append(svg("rect", { x: left + j * cell + 1, y: top + i * cell + 1, width: cell - 2, height: cell - 2, rx: 2, class: `heat heat-${level}` },
        svg("title", {}, `${day} ${hour}:00 · ${value}`)));
    });
  });
  return chart;
}

function legendRow(series, x, y) {
  const group = svg("g", { class: "legend" });
  let at = x;
  for (const s of series) {
    group.append(svg("rect", { x: at, y: y - 10, width: 12, height: 12, rx: 2, class: `bar ${s.cls || ""}` }));
    group.append(svg("text", { x: at + 16, y, class: "chart-legend" }, s.name));
    at += 28 + s.name.length * 7.2;
  }
  return group;
}

function clip(text, chars) {
  const s = String(text);
  return s.length > chars ? `${s.slice(0, Math.max(1, Math.floor(chars) - 1))}…` : s;
}

function niceMax(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= value) return m * power;
  return 10 * power;
}
