/**
 * The interactive fix session. State lives in `sessionReducer`; this component renders the screen
 * of the current phase, maps keys to intents (`keyIntent`) and runs the effects the engine owns:
 * scan, plan, apply, rescan (through `FixServices`).
 */
import { Box, Text, useApp, useInput, useWindowSize } from "ink";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { InputError, describeError } from "../../base/errors.js";
import type { Plan } from "../../model/plan.js";
import { statusLine } from "../../progress/model.js";
import type { FixServices } from "../../app/fix-session.js";
import { currentRow, cursorIndex, selectedFindings, visibleRows, type TreeNode } from "../state/findings.js";
import { headerText } from "../state/header.js";
import { footerKeys, keyIntent, splitKeys, type KeyInfo } from "../state/keys.js";
import { applyLines, detailLines, rescanLines, reviewLines, truncate, type Line } from "../state/lines.js";
import { detailPlanOf, detailPlanWanted, rescanScope, sessionReducer, sessionStart, type SessionAction, type SessionState } from "../state/session.js";
import { ApplyView, applyWindow } from "./apply-view.js";
import { FindingsView } from "./findings-view.js";
import { HelpView } from "./help-view.js";
import { ReviewView } from "./review-view.js";
import { ScanView } from "./scan-view.js";
import { LinesWindow } from "./styled-line.js";
import { confirmUndoLines, pinnedLines } from "../state/pinned.js";
import { undoLines } from "../state/undo.js";

export interface FixAppProps {
  services: FixServices;
  /** false with NO_COLOR. */
  color: boolean;
  /** Fixed size (tests); default: the terminal's, following resizes. */
  columns?: number;
  rows?: number;
  /** Called with the final state just before the app exits. */
  onExit?: (s: SessionState) => void;
  /** Start from a finished scan instead of scanning (tests of later screens). */
  initial?: SessionState;
}

/**
 * The state with the single-finding plan the detail pane needs next: planning runs here, in the
 * dispatch path, never during render.
 */
function withDetailPlan(services: FixServices, s: SessionState): SessionState {
  const f = detailPlanWanted(s);
  if (!f || !s.snapshot) return s;
  let plan: Plan | null;
  try {
    plan = services.plan(s.snapshot, [f]);
  } catch {
    plan = null;
  }
  return sessionReducer(s, { type: "detail-plan", fingerprint: f.fingerprint, plan });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Dispatches the outcome of an engine job (apply, undo, rescan): its summary, or its failure's message. */
function settle<T>(dispatch: (a: SessionAction) => void, job: Promise<T>, done: (result: T) => SessionAction, failed: (message: string) => SessionAction): void {
  job.then((r) => dispatch(done(r))).catch((err: unknown) => dispatch(failed(message(err))));
}

export function FixApp(props: FixAppProps) {
  const { services, color } = props;
  const { exit } = useApp();
  const size = useWindowSize();
  const width = Math.max(40, props.columns ?? size.columns ?? 80);
  // One line short of the terminal: ink redraws a full-height frame by clearing the screen.
  const height = Math.max(12, (props.rows ?? size.rows ?? 24) - 1);

  // The reducer's state, also in a ref so that key handling always sees the newest state.
  const ref = useRef<SessionState>(props.initial ?? sessionStart(services.delivery));
  const [state, setState] = useState<SessionState>(ref.current);
  const reduce = useCallback((s: SessionState, a: SessionAction) => withDetailPlan(services, sessionReducer(s, a)), [services]);
  const dispatch = useCallback(
    (a: SessionAction) => {
      ref.current = reduce(ref.current, a);
      setState(ref.current);
    },
    [reduce],
  );
  // A session started from a finished scan: plan its first highlighted finding.
  useEffect(() => {
    const next = withDetailPlan(services, ref.current);
    if (next === ref.current) return;
    ref.current = next;
    setState(next);
  }, [services]);

  // Progress arrives per AWS call: batch it into one render every 50 ms.
  const pending = useRef<SessionAction[]>([]);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const dispatchSoon = useCallback((a: SessionAction) => {
    pending.current.push(a);
    flushTimer.current ??= setTimeout(() => {
      flushTimer.current = undefined;
      const batch = pending.current;
      pending.current = [];
      for (const x of batch) ref.current = reduce(ref.current, x);
      setState(ref.current);
    }, 50);
  }, [reduce]);
  const flush = useCallback(() => {
    if (flushTimer.current) clearTimeout(flushTimer.current);
    flushTimer.current = undefined;
    const batch = pending.current;
    pending.current = [];
    for (const x of batch) ref.current = reduce(ref.current, x);
  }, [reduce]);
  useEffect(() => () => clearTimeout(flushTimer.current), []);

  const scanAbort = useRef(new AbortController());
  const applyAbort = useRef(new AbortController());
  const undoAbort = useRef(new AbortController());

  const quitting = useRef(false);
  const quit = useCallback(
    (interrupted = false) => {
      if (quitting.current) return;
      quitting.current = true;
      scanAbort.current.abort();
      props.onExit?.(interrupted ? { ...ref.current, interrupted } : ref.current);
      exit();
    },
    [exit, props],
  );
  // Unmounted from outside (SIGINT): stop the scan, and stop an apply after the step in flight.
  useEffect(
    () => () => {
      scanAbort.current.abort();
      applyAbort.current.abort();
      undoAbort.current.abort();
    },
    [],
  );

  // The initial scan, and the scan again after `b` (generation counts the scans asked for).
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (props.initial && generation === 0) return;
    let live = true;
    services
      .scan(undefined, (event) => live && dispatchSoon({ type: "progress", event }), scanAbort.current.signal, ref.current.delivery.on)
      .then((r) => {
        if (!live) return;
        flush();
        dispatch({ type: "scan-done", snapshot: r.snapshot, findings: r.findings, noFix: r.noFix, buckets: r.buckets });
      })
      .catch((err: unknown) => {
        if (!live || quitting.current) return;
        const code = err instanceof InputError ? 2 : (err as { exitCode?: unknown }).exitCode;
        dispatch({ type: "scan-failed", message: describeError(err), exitCode: typeof code === "number" ? code : 1 });
        // Nothing to browse: leave at once, the message is printed after the screen is restored.
        quit();
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [services, dispatch, dispatchSoon, flush, props.initial, generation]);

  const openReview = useCallback(() => {
    const s = ref.current;
    if (!s.browser || !s.snapshot) return;
    const chosen = selectedFindings(s.browser);
    if (chosen.length === 0) {
      dispatch({ type: "note", text: "nothing selected: space selects a fix, a selects every fixable finding" });
      return;
    }
    try {
      dispatch({ type: "review", plan: services.plan(s.snapshot, chosen) });
    } catch (err) {
      dispatch({ type: "note", text: `cannot plan: ${message(err)}` });
    }
  }, [services, dispatch]);

  const startApply = useCallback(() => {
    const s = ref.current;
    if (s.phase !== "review" || !s.plan) return;
    const plan = s.plan;
    dispatch({ type: "apply-start" });
    const job = services.apply(plan, (event) => dispatch({ type: "apply-event", event }), applyAbort.current.signal);
    settle(dispatch, job, (summary) => ({ type: "apply-done", summary }), (m) => ({ type: "apply-failed", message: m }));
  }, [services, dispatch]);

  const startUndo = useCallback(() => {
    const s = ref.current;
    const journal = s.apply?.summary?.journalPath;
    if (s.phase !== "confirm-undo" || !journal) return;
    dispatch({ type: "undo-start" });
    undoAbort.current = new AbortController();
    const job = services.undo(journal, (event) => dispatch({ type: "undo-event", event }), undoAbort.current.signal);
    settle(dispatch, job, (summary) => ({ type: "undo-done", summary }), (m) => ({ type: "undo-failed", message: m }));
  }, [services, dispatch]);

  // d: the application layer says whether the delivery check can be switched; then the list is scanned again.
  const toggleDelivery = useCallback(() => {
    const s = ref.current;
    if (s.phase !== "findings") return;
    const problem = services.deliveryProblem(!s.delivery.on);
    if (problem) {
      dispatch({ type: "note", text: problem });
      return;
    }
    dispatch({ type: "delivery-toggle" });
    scanAbort.current = new AbortController();
    setGeneration((g) => g + 1);
  }, [services, dispatch]);

  const backToFindings = useCallback(() => {
    dispatch({ type: "restart" });
    scanAbort.current = new AbortController();
    applyAbort.current = new AbortController();
    setGeneration((g) => g + 1);
  }, [dispatch]);

  const startRescan = useCallback(() => {
    const s = ref.current;
    if (!s.plan) return;
    dispatch({ type: "rescan-start" });
    const scope = rescanScope(s.plan, s.planned);
    const job = services.scan(scope, (event) => dispatchSoon({ type: "rescan-progress", event }), scanAbort.current.signal, s.delivery.on).then((r) => (flush(), r));
    settle(dispatch, job, (r) => ({ type: "rescan-done", findings: r.findings }), (m) => ({ type: "rescan-failed", message: m }));
  }, [services, dispatch, dispatchSoon, flush]);

  useInput((input, key) => {
    for (const k of splitKeys(input, key)) handleKey(k.input, k.key);
  });

  // What the last frame showed of each scrolling pane: scroll actions are clamped to it.
  const scrollLimits = useRef<Record<"detail" | "review" | "apply" | "rescan" | "undo", { offset: number; max: number }>>({
    detail: { offset: 0, max: 0 },
    undo: { offset: 0, max: 0 },
    review: { offset: 0, max: 0 },
    apply: { offset: 0, max: 0 },
    rescan: { offset: 0, max: 0 },
  });

  function handleKey(input: string, key: KeyInfo): void {
    const intent = keyIntent(ref.current, input, key);
    switch (intent.type) {
      case "action": {
        const a = intent.action;
        const lim = scrollLimits.current;
        if (a.type === "scroll-detail") dispatch({ ...a, max: lim.detail.max });
        else if (a.type === "scroll-review") dispatch({ ...a, max: lim.review.max });
        else if (a.type === "scroll-rescan") dispatch({ ...a, max: lim.rescan.max });
        else if (a.type === "scroll-apply") dispatch({ ...a, max: lim.apply.max, from: lim.apply.offset });
        else if (a.type === "scroll-undo") dispatch({ ...a, max: lim.undo.max, from: lim.undo.offset });
        else dispatch(a);
        return;
      }
      case "open-review":
        openReview();
        return;
      case "apply":
        startApply();
        return;
      case "rescan":
        startRescan();
        return;
      case "undo":
        startUndo();
        return;
      case "back-to-findings":
        backToFindings();
        return;
      case "toggle-delivery":
        toggleDelivery();
        return;
      case "quit":
        quit();
        return;
      case "interrupt":
        if (ref.current.phase === "applying" || ref.current.phase === "undoing") {
          // The engine stops after the step in flight; the journals stay consistent.
          (ref.current.phase === "applying" ? applyAbort : undoAbort).current.abort();
          dispatch({ type: "abort" });
        } else quit(true);
        return;
      case "none":
        return;
    }
  }

  // ---- rendering ------------------------------------------------------------------------------
  const bodyHeight = height - 2;
  const rows = useMemo(() => (state.browser ? visibleRows(state.browser) : []), [state.browser]);
  const cursor = state.browser ? cursorIndex(state.browser, rows) : 0;
  const row = state.browser ? currentRow(state.browser, rows) : undefined;
  const highlighted = row?.node.kind === "finding" ? row.node.finding : undefined;

  const detailPlan = detailPlanOf(state, highlighted);

  const review = useMemo(() => (state.plan ? reviewLines(state.plan, state.planned, width) : []), [state.plan, state.planned, width]);
  const header = headerText(state, services.banner, width);
  let body: React.ReactNode;
  if (state.help) body = <HelpView width={width} height={bodyHeight} color={color} />;
  else if (state.phase === "scanning") {
    body = <ScanView title="Scanning…" progress={state.progress} width={width} height={bodyHeight} color={color} />;
  } else if (state.phase === "scan-failed") {
    body = (
      <Box flexDirection="column" height={bodyHeight}>
        <Text {...(color ? { color: "red" } : {})}>{truncate(`The scan failed: ${state.error ?? "unknown error"}`, width)}</Text>
      </Box>
    );
  } else if (state.phase === "findings" && state.browser && state.snapshot) {
    const listHeight = Math.max(3, Math.floor(bodyHeight * 0.45));
    const detail: Line[] = row
      ? detailLines({
          snapshot: state.snapshot,
          row,
          rules: services.rules,
          width,
          ...(detailPlan ? { plan: detailPlan } : {}),
          standings: state.browser.tree.standings,
          deliveryCheck: state.delivery.on,
          ...(accountName(state, row.node) ? { accountName: accountName(state, row.node)! } : {}),
        })
      : [];
    scrollLimits.current.detail = { offset: state.detailScroll, max: Math.max(0, detail.length - (bodyHeight - listHeight - 1)) };
    body = (
      <FindingsView
        browser={state.browser}
        rows={rows}
        cursor={cursor}
        detail={detail}
        detailScroll={state.detailScroll}
        width={width}
        listHeight={listHeight}
        detailHeight={bodyHeight - listHeight}
        color={color}
      />
    );
  } else if (state.phase === "review" && state.plan) {
    scrollLimits.current.review = { offset: state.reviewScroll, max: Math.max(0, review.length - (bodyHeight - 1)) };
    body = <ReviewView lines={review} scroll={state.reviewScroll} width={width} height={bodyHeight} color={color} />;
  } else if (state.phase === "confirm-undo") {
    body = <LinesWindow lines={confirmUndoLines(state, services, width)} offset={0} height={bodyHeight} width={width} color={color} />;
  } else if (state.plan && state.apply) {
    const pinned = pinnedLines(state, services, width);
    let lines: Line[];
    let follow = 0;
    const undoing = state.phase === "undoing" || state.phase === "undone";
    if (state.phase === "rescanning") lines = [{ text: `Rescanning the affected buckets… ${statusLine(state.rescanProgress)}`, tone: "heading" }];
    else if (state.phase === "rescanned" && state.rescan) lines = rescanLines(state.rescan);
    else if (undoing && state.undo) {
      lines = undoLines(state.undo);
      const last = state.undo.lastChanged;
      follow = Math.max(0, state.undo.rows.findIndex((r) => r.seq === last));
    } else {
      lines = applyLines(state.plan, state.apply);
      const last = state.apply.lastChanged;
      follow = last ? state.plan.steps.findIndex((x) => x.id === last) : 0;
    }
    const scroll = state.phase === "rescanned" ? state.rescanScroll : state.phase === "rescanning" ? 0 : undoing ? state.undoScroll : state.applyScroll;
    const win = applyWindow({ body: lines, follow, scroll, pinned, height: bodyHeight });
    scrollLimits.current[state.phase === "rescanned" ? "rescan" : undoing ? "undo" : "apply"] = { offset: win.offset, max: win.max };
    body = <ApplyView body={lines} follow={follow} scroll={scroll} pinned={pinned} width={width} height={bodyHeight} color={color} />;
  }

  const footer = state.note ?? footerKeys(state, width);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold={color} {...(color ? { color: "cyan" } : {})}>
        {truncate(header, width)}
      </Text>
      {body}
      <Text {...(color ? { dimColor: !state.note, ...(state.note ? { color: "yellow" } : {}) } : {})}>{truncate(footer, width)}</Text>
    </Box>
  );
}

function accountName(s: SessionState, node: TreeNode): string | undefined {
  const id = node.kind === "finding" ? node.finding.account : node.account;
  return s.snapshot?.accounts.find((a) => a.id === id)?.name;
}
