/** The shell: navigation, the signed-in state, and the view the hash route names. */
import { getToken } from './api/gateway-api';
import { href, useRoute } from './router';
import { AlertsView } from './views/alerts-view';
import { ConnectorsView } from './views/connectors-view';
import { DatasetView } from './views/dataset-view';
import { FindingsView } from './views/findings-view';
import { ImpactView } from './views/impact-view';
import { JobView } from './views/job-view';
import { LineageView } from './views/lineage-view';
import { SearchView } from './views/search-view';
import { SignInView } from './views/signin-view';

const NAV: Array<[string, string]> = [
  ['/search', 'Search'],
  ['/lineage', 'Lineage'],
  ['/impact', 'Impact'],
  ['/findings', 'Findings'],
  ['/alerts', 'Alerts'],
  ['/connectors', 'Connectors'],
  ['/signin', getToken() ? 'Token ✓' : 'Sign in'],
];

export const App = () => {
  const route = useRoute();
  const view = (() => {
    switch (route.path) {
      case '/lineage':
        // another node opens at the present time (the slider and diff belong to one node's view)
        return <LineageView key={route.params.get('node') ?? ''} node={route.params.get('node') ?? ''} />;
      case '/impact':
        return <ImpactView node={route.params.get('node') ?? ''} />;
      case '/dataset':
        return <DatasetView id={route.params.get('id') ?? ''} />;
      case '/job':
        return <JobView id={route.params.get('id') ?? ''} />;
      case '/findings':
        return <FindingsView />;
      case '/alerts':
        return <AlertsView />;
      case '/connectors':
        return <ConnectorsView />;
      case '/signin':
        return <SignInView />;
      default:
        return <SearchView q={route.params.get('q') ?? ''} />;
    }
  })();
  return (
    <div className="shell">
      <header>
        <a className="brand" href={href('/search')}>
          lineage-hub
        </a>
        <nav aria-label="main">
          {NAV.map(([path, label]) => (
            <a key={path} href={href(path)} aria-current={route.path === path ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
      </header>
      <main>{view}</main>
    </div>
  );
};
