// An IOHandler that loads model.json and its weight shards from a folder, as
// tfjs-node's file:// loader does: each group's shards are read in order and
// all groups are joined into one buffer.

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

function folderLoader(dir) {
  return {
    async load() {
      const modelJSON = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      return tf.io.getModelArtifactsForJSON(modelJSON, async manifest => {
        const specs = [];
        const buffers = [];
        for (const group of manifest) {
          for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
          specs.push(...group.weights);
        }
        const joined = Buffer.concat(buffers);
        return [specs, joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.length)];
      });
    },
  };
}

module.exports = {folderLoader};
