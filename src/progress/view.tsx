/** The live progress display (ink), rendered on stderr in a terminal. */
import { Box, Static, Text } from "ink";
import { finishedLine, formatElapsed, type FinishedAccount, type ProgressState } from "./model.js";

const MARK: Record<FinishedAccount["status"], string> = { ok: "✓", partial: "!", error: "✗" };
const COLOUR: Record<FinishedAccount["status"], string> = { ok: "green", partial: "yellow", error: "red" };

export interface ProgressViewProps {
  state: ProgressState;
  /** false with NO_COLOR. */
  color?: boolean;
}

export function ProgressView({ state, color = true }: ProgressViewProps) {
  const total = state.accountsTotal === null ? "?" : String(state.accountsTotal);
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
        <Box gap={2}>
          <Text bold={color}>
            Scanning {state.accountsDone}/{total} accounts
          </Text>
          <Text>
            buckets {state.bucketsRead}/{state.bucketsFound}
          </Text>
          <Text>in flight {state.inFlight}</Text>
          <Text {...(color && state.errors > 0 ? { color: "red" } : {})}>errors {state.errors}</Text>
          <Text dimColor={color}>{formatElapsed(state.elapsedMs)}</Text>
        </Box>
      )}
    </>
  );
}
