import { defineConfig } from 'vite';

// The live chat button: one self-contained script, dist/web/chat.js, that any website loads with a
// script tag. Built after the app, whose build empties dist/web, so this one must not.
export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  build: {
    outDir: '../../dist/web',
    emptyOutDir: false,
    sourcemap: true,
    minify: true,
    target: 'es2022',
    copyPublicDir: false,
    lib: {
      entry: 'widget.ts',
      formats: ['iife'],
      name: 'AccordChatButton',
      fileName: () => 'chat.js',
    },
  },
});
