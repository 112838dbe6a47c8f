// The kiosk lives in the browser (IndexedDB, camera, its own clock): the server sends only the app shell,
// which the service worker can keep and serve offline whoever is (not) logged in.
export const ssr = false;
