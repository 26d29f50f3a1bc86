"use client";
import { useEffect, useRef } from "react";
import { run } from "./demo.js";

export default function Page() {
  const out = useRef(null);
  useEffect(() => { run(out.current); }, []);
  return <pre id="out" ref={out} />;
}
