"""tf.data: async datasets (arrays, generators, CSV files) and their pipelines."""

from .dataset import DataIterator, Dataset
from .sources import CSVDataset, array, csv, func, generator, zip_

zip = zip_  # tfjs' name: tf.data.zip

__all__ = ['CSVDataset', 'DataIterator', 'Dataset', 'array', 'csv', 'func', 'generator', 'zip']
