// Entry point: / is the landing page, /b/<board id> a board (a shareable URL).
import "./style.css";
import { mountBoard } from "./ui/boardPage";
import { mountLanding } from "./ui/landing";

const app = document.getElementById("app")!;
const match = location.pathname.match(/^\/b\/([A-Za-z0-9_-]{1,64})$/);
if (match) mountBoard(app, match[1]);
else mountLanding(app);
