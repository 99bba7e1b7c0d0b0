/** One line of text with a tone; coloured unless NO_COLOR. Always cut to the given width. */
import { Text } from "ink";
import { escapeControl } from "../../base/text.js";
import type { Line, Tone } from "../state/lines.js";
import { truncate } from "../state/lines.js";

export interface ToneStyle {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
  inverse?: boolean;
}

export const TONES: Record<Tone, ToneStyle> = {
  text: {},
  heading: { bold: true },
  dim: { dimColor: true },
  add: { color: "green" },
  del: { color: "red" },
  hunk: { color: "cyan" },
  warn: { color: "yellow" },
  error: { color: "red", bold: true },
  ok: { color: "green" },
  critical: { color: "redBright", bold: true },
  high: { color: "red" },
  medium: { color: "yellow" },
  low: { color: "cyan" },
  info: { color: "gray" },
};

export function toneProps(tone: Tone, color: boolean): ToneStyle {
  return color ? TONES[tone] : {};
}

export interface Segment {
  text: string;
  tone: Tone;
  /** Shrinks (with an ellipsis) when the line is too wide. */
  flex?: boolean;
}

/** Fits segments into `width`: the flexible segment shrinks first, then the whole line is cut. */
export function fitSegments(segments: readonly Segment[], width: number): Segment[] {
  const len = (s: string) => [...s].length;
  // Control characters from AWS data are shown escaped (src/base/text.ts), and measured so.
  const out = segments.map((s) => ({ ...s, text: escapeControl(s.text) }));
  const total = out.reduce((n, s) => n + len(s.text), 0);
  let over = total - width;
  if (over > 0) {
    for (const s of out) {
      if (!s.flex || over <= 0) continue;
      const keep = Math.max(4, len(s.text) - over);
      over -= len(s.text) - keep;
      s.text = truncate(s.text, keep);
    }
  }
  let room = width;
  for (const s of out) {
    s.text = len(s.text) <= room ? s.text : truncate(s.text, room);
    room -= len(s.text);
  }
  return out.filter((s) => s.text !== "");
}

export function SegmentsLine({ segments, width, color, inverse }: { segments: readonly Segment[]; width: number; color: boolean; inverse?: boolean }) {
  const fitted = fitSegments(segments, width);
  return (
    <Text wrap="truncate-end" {...(inverse && color ? { inverse: true } : {})}>
      {fitted.map((s, i) => (
        <Text key={i} {...toneProps(s.tone, color)}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

export function StyledLine({ line, width, color }: { line: Line; width: number; color: boolean }) {
  return (
    <Text wrap="truncate-end" {...toneProps(line.tone, color)}>
      {truncate(line.text, width) || " "}
    </Text>
  );
}

/** A window of lines, padded to `height` so the layout does not jump. */
export function LinesWindow({ lines, offset, height, width, color }: { lines: readonly Line[]; offset: number; height: number; width: number; color: boolean }) {
  const shown = lines.slice(offset, offset + height);
  const pad = Math.max(0, height - shown.length);
  return (
    <>
      {shown.map((l, i) => (
        <StyledLine key={offset + i} line={l} width={width} color={color} />
      ))}
      {Array.from({ length: pad }, (_, i) => (
        <Text key={`pad-${i}`}> </Text>
      ))}
    </>
  );
}
