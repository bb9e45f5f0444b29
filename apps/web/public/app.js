// First page: signs in against the API and shows who you are.
const form = document.getElementById('login');
const status = document.getElementById('status');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  status.textContent = 'Signing in…';
  const body = JSON.stringify({ email: form.email.value, password: form.password.value });
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const data = await res.json();
  status.textContent = res.ok ? `Signed in as ${data.actor.role}.` : data.message;
});
