/** The live progress display (ink), rendered on stderr in a terminal. */
import { Static, Text } from "ink";
import type { FinishedAccount } from "./events.js";
import { finishedLine, statusParts, type ProgressState } from "./model.js";

const MARK: Record<FinishedAccount["status"], string> = { ok: "✓", partial: "!", error: "✗" };
const COLOUR: Record<FinishedAccount["status"], string> = { ok: "green", partial: "yellow", error: "red" };

export interface ProgressViewProps {
  state: ProgressState;
  /** false with NO_COLOR. */
  color?: boolean;
}

/** Finished accounts printed once each, and below them the live line (gone once the scan is done). */
export function ProgressView({ state, color = true }: ProgressViewProps) {
  const p = statusParts(state);
  return (
    <>
      <Static items={state.finished}>
        {(a) => (
          <Text key={a.account} {...(color ? { color: COLOUR[a.status] } : {})}>
            {MARK[a.status]} {finishedLine(a)}
          </Text>
        )}
      </Static>
      {state.done ? null : (
        <>
          <Text wrap="truncate-end">
            <Text bold={color}>Scanning</Text> {p.accounts} · {p.inFlight} ·{" "}
            <Text {...(color && state.errors > 0 ? { color: "red" } : {})}>{p.errors}</Text> · <Text dimColor={color}>{p.elapsed}</Text>
          </Text>
          <Text wrap="truncate-end">{p.buckets}</Text>
        </>
      )}
    </>
  );
}
