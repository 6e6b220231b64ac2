import { mount } from 'svelte';
import App from './App.svelte';
import MiniPlayer from './MiniPlayer.svelte';
import './styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
// One bundle for both windows: main opens the helper's mini player at index.html#mini.
mount(location.hash === '#mini' ? MiniPlayer : App, { target });
