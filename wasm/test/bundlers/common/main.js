import { run } from "./demo.js";

run(document.getElementById("out"));
