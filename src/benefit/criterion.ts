/**
 * A policy criterion's FHIRPath, compiled and read once when the plan catalogue is built: what it reads is
 * taken from the `fhirpath` parser's syntax tree (the variables, the members read under each, the resource
 * types it can see, whether it asks for the time), and the clock functions are bound to the request's
 * instant, so a criterion never reads the real clock.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { Bundle, MedicationRequest } from 'fhir/r4';

/**
 * Variables a criterion may read as `%name`; `%pgx` holds determinate, final results only (indeterminate reads
 * as unknown, and a preliminary/registered result cannot approve anything until it is final).
 */
export interface CriterionEnv {
  pgx: Record<string, { phenotype: string; activityScore?: string; effectivePhenotype?: string }>;
  /** ingredient RxCUIs seen in the medication history (requests, statements, dispenses) */
  tried: string[];
  /** the request's instant (ISO 8601): `%now`, and what `now()`, `today()` and `timeOfDay()` return */
  now: string;
  order: MedicationRequest;
  /**
   * tumour biomarker results (`%biomarker.<GENE|HER2|PDL1|TMB|MSI>`) and the ordered drug's companion-diagnostic
   * verdict (`%cdx`), built by src/biomarker; each value carries a `summary` shown as the criterion's evidence
   */
  biomarker?: Record<string, { summary: string }>;
  cdx?: { summary: string };
}

/** an order without tumour results (not a targeted oncology drug) reads `%biomarker` / `%cdx` as empty: "unknown", not an error */
const NO_TUMOUR_RESULTS = { biomarker: {}, cdx: {} };
const variablesOf = (env: CriterionEnv) => ({ ...NO_TUMOUR_RESULTS, ...env }) as unknown as Record<string, unknown>;

/** What an expression reads, from its parse tree. */
export interface ExpressionReading {
  /** the variables it reads (`%name`, `%\`name\``) */
  variables: ReadonlySet<string>;
  /** per variable, the members read directly under it (`%pgx.CYP2C19.phenotype` → pgx: CYP2C19) */
  members: ReadonlyMap<string, readonly string[]>;
  /**
   * the resource types it can see, when it reads the bundle only as `entry.resource.ofType(T)` with concrete
   * types T (the policy criteria do), none when it never reads `entry`; undefined = it may read anything. FHIRPath cost grows with every
   * resource it wraps, and a problem-list criterion does not need the medication history.
   */
  focusTypes?: readonly string[];
  /** calls now(), today() or timeOfDay() */
  readsClock: boolean;
}

export interface CompiledCriterion extends ExpressionReading {
  /** evaluate over the patient bundle (or its narrowed focus) with the request's variables */
  evaluate(focus: Bundle, env: CriterionEnv): unknown[];
}

interface AstNode {
  type: string;
  text?: string;
  delimitedText?: string;
  children?: AstNode[];
}

const CLOCK_FUNCTIONS = ['now', 'today', 'timeOfDay'] as const;
/** variables that are the focus itself, and functions that walk away from the entry they start at */
const WHOLE_FOCUS_VARIABLES = new Set(['context', 'resource', 'rootResource']);
const WHOLE_FOCUS_FUNCTIONS = new Set(['resolve', 'descendants', 'children', 'repeat']);
const ABSTRACT_TYPES = new Set(['Resource', 'DomainResource', 'MetadataResource', 'CanonicalResource', 'Any']);

function* walk(node: AstNode): Generator<AstNode> {
  yield node;
  for (const child of node.children ?? []) yield* walk(child);
}

/** `name`, `` `name` `` or `'name'` → name */
const unquote = (s: string) => (/^([`'])[\s\S]*\1$/.test(s) ? s.slice(1, -1) : s);
const only = (node: AstNode | undefined, type: string): AstNode | undefined =>
  node?.type === type && node.children?.length === 1 ? node.children[0] : undefined;

function variableName(node: AstNode): string | undefined {
  if (node.type !== 'ExternalConstantTerm') return undefined;
  const raw = node.delimitedText ?? node.text;
  return raw === undefined ? undefined : unquote(raw);
}
const memberName = (node: AstNode | undefined): string | undefined =>
  node?.type === 'MemberInvocation' && node.text !== undefined ? unquote(node.text) : undefined;
const functionName = (node: AstNode): string | undefined =>
  node.type === 'FunctionInvocation' && node.text !== undefined ? node.text : undefined;

/** `entry.resource.ofType(T)` → T (a plain type name), else undefined */
function entryOfType(node: AstNode): string | undefined {
  if (node.type !== 'InvocationExpression' || node.children?.length !== 2) return undefined;
  const [receiver, call] = node.children as [AstNode, AstNode];
  if (functionName(call) !== 'ofType' || receiver.type !== 'InvocationExpression' || receiver.children?.length !== 2) return undefined;
  const [head, resource] = receiver.children as [AstNode, AstNode];
  if (memberName(resource) !== 'resource' || memberName(only(only(head, 'TermExpression'), 'InvocationTerm')) !== 'entry') return undefined;
  const params = call.children?.[0]?.children?.find((c) => c.type === 'ParamList')?.children ?? [];
  return params.length === 1 ? memberName(only(only(params[0], 'TermExpression'), 'InvocationTerm')) : undefined;
}

/** Read an expression's parse tree; throws on a syntax error. */
export function readExpression(expression: string): ExpressionReading {
  const root = fhirpath.parse(expression) as AstNode;
  const variables = new Set<string>();
  const members = new Map<string, string[]>();
  const types: string[] = [];
  let entryReads = 0;
  let wholeFocus = false;
  let readsClock = false;
  for (const node of walk(root)) {
    const variable = variableName(node);
    if (variable !== undefined) {
      variables.add(variable);
      if (WHOLE_FOCUS_VARIABLES.has(variable)) wholeFocus = true;
    }
    const fn = functionName(node);
    if (fn && WHOLE_FOCUS_FUNCTIONS.has(fn)) wholeFocus = true;
    if (fn && (CLOCK_FUNCTIONS as readonly string[]).includes(fn)) readsClock = true;
    if (node.type === 'ThisInvocation') wholeFocus = true;
    if (memberName(node) === 'entry') entryReads++;
    const type = entryOfType(node);
    if (type !== undefined) types.push(type);
    // `%v.member`: the receiver is the variable's term itself
    if (node.type === 'InvocationExpression' && node.children?.length === 2) {
      const name = variableName(only(node.children[0], 'TermExpression') ?? { type: '' });
      const member = memberName(node.children[1]);
      if (name !== undefined && member !== undefined) {
        const list = members.get(name) ?? [];
        if (!list.includes(member)) list.push(member);
        members.set(name, list);
      }
    }
  }
  // an expression that never reads `entry` sees no resource (only variables and literals): it gets none, since
  // evaluating over the whole bundle costs several times more even when nothing in it is read
  const narrowable = !wholeFocus && types.length === entryReads && !types.some((t) => ABSTRACT_TYPES.has(t));
  return { variables, members, ...(narrowable ? { focusTypes: [...new Set(types)] } : {}), readsClock };
}

/**
 * The compiler of one catalogue's criteria. The request's instant becomes FHIRPath DateTime, Date and Time
 * values through the library's own conversions (compiled once, only when some criterion reads the clock),
 * and `now()`, `today()`, `timeOfDay()` return them: the date and time are those written in the instant.
 */
export function criterionCompiler(): (expression: string) => CompiledCriterion {
  let clock: ReturnType<typeof fhirpath.compile> | undefined;
  return (expression) => {
    const reading = readExpression(expression);
    const fn = fhirpath.compile(expression, r4);
    if (!reading.readsClock) return { ...reading, evaluate: (focus, env) => fn(focus, variablesOf(env)) as unknown[] };
    const instantValues = (clock ??= fhirpath.compile('%instant.toDateTime().combine(%date.toDate()).combine(%time.toTime())', r4, {
      resolveInternalTypes: false,
    }));
    return {
      ...reading,
      evaluate: (focus, env) => {
        const time = env.now.slice(11).replace(/(Z|[+-]\d\d:\d\d)$/, '');
        const [now, today, timeOfDay] = instantValues({}, { instant: env.now, date: env.now.slice(0, 10), time }) as unknown[];
        const constant = (value: unknown) => ({ fn: () => value, arity: { 0: [] } });
        const userInvocationTable = { now: constant(now), today: constant(today), timeOfDay: constant(timeOfDay) };
        return fn(focus, variablesOf(env), { userInvocationTable }) as unknown[];
      },
    };
  };
}
