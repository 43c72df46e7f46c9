/** Entry: styles, then the app. */
import { render } from 'preact';
import './styles/app.css';
import { App } from './app';

render(<App />, document.getElementById('app')!);
