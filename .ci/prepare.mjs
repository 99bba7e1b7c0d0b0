// `npm ci` / `npm install` in a checkout (package.json "prepare"; also before `npm pack`): build
// dist/, and when npm itself runs on a Node.js older than the project needs, say in one line why
// that is fine (.npmrc keeps npm's per-package EBADENGINE warnings for that case off the screen).
import { execFileSync } from "node:child_process";

execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
const npmNode = /node\/v(\d+\.\d+\.\d+)/.exec(process.env.npm_config_user_agent ?? "")?.[1];
if ((process.env.npm_command === "ci" || process.env.npm_command === "install") && npmNode && Number(npmNode.split(".")[0]) < 22) {
  console.error(
    `note: npm runs on Node.js ${npmNode}; the project's scripts (npm run demo, npm test, …) run on the ` +
      `Node.js ${process.versions.node} that npm ci put into node_modules, which its dependencies need`,
  );
}
