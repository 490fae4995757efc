function flags = zeromq_flags(varargin)
%ZEROMQ_FLAGS The current settings as a sum of zeromq_set flag values.
%   flags = zeromq_flags()
%
%   Example: busy = bitand(zeromq_flags(), 8) == 0.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
flags = zeromq_mex('flags', varargin{:});
end
