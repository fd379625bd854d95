/** A titled list of datasets ({namespace, name} as the API gives them), each linking to its dataset page. */
import { href } from '../router';

export const DatasetLinks = ({ title, datasets = [] }: { title: string; datasets?: Array<{ namespace: string; name: string }> }) => (
  <div>
    <h2>{title}</h2>
    <ul>
      {datasets.map((d) => {
        const id = `dataset:${d.namespace}:${d.name}`;
        return (
          <li key={id}>
            <a href={href('/dataset', { id })}>{id}</a>
          </li>
        );
      })}
    </ul>
  </div>
);
