// @ts-check
/**
 * Lint of the whole repository, run by `npm test`: ESLint's recommended rules, typescript-eslint's
 * recommended type-checked rules and the React hooks rules (the ink UI). Each rule switched off
 * or tuned below says why.
 */
import eslint from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "*.cjs", ".ci/*.mjs", "test/bench/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The simulator answers with SimError values, deliberately not Error subclasses (no stack
      // trace per "not configured" answer; see src/sim/errors.ts), and its delivery-permission
      // check unwinds with a stackless Undecidable marker: throwing those is allowed.
      "@typescript-eslint/only-throw-error": [
        "error",
        {
          allow: [
            { from: "file", name: "SimError", path: "src/sim/errors.ts" },
            { from: "file", name: "Undecidable", path: "src/sim/logging/permits.ts" },
          ],
          allowThrowingUnknown: true,
        },
      ],
      // Re-throwing or passing on a caught value unchanged (it is `unknown` by nature) is not inventing a non-Error.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      // An async function or generator without `await` is how a Promise- or AsyncIterable-
      // returning interface is implemented when the work happens to be synchronous (test doubles,
      // in-memory log sources); a thrown error then still becomes a rejection, as callers expect.
      "@typescript-eslint/require-await": "off",
      // `const { a: _a, ...rest } = x` is how an object is copied without some keys; `_x` marks
      // a parameter that is there for its position only.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { ignoreRestSiblings: true, argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["test/**"],
    rules: {
      // Tests assert on parsed JSON and on deliberately malformed inputs: JSON.parse gives `any`,
      // and the expectations that follow are the type check.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-explicit-any": "off",
      // Tests save prototype methods (e.g. http.Agent's) to stub and restore them.
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // The ink UI: the classic hooks rules. (The plugin's React Compiler rules are not enabled: the
    // UI is not compiled with the React Compiler, and they mistake `useLogBucket` intents in
    // rules/ for hooks.)
    files: ["**/*.tsx", "src/ui/**"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  {
    // The configuration files are CommonJS/ESM scripts run by Node.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly", __dirname: "readonly" } },
  },
  {
    files: ["test/bench/*.mjs", ".ci/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
